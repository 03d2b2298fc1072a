import { escapedHtml, pageShell, type PageShellOptions } from '../webviewHost/pageShell';
import type { PageStrings } from './model/pageStrings';

/** What the chat page's HTML needs from the host; no VS Code types so it can be unit-tested. */
export interface ChatHtmlOptions extends Omit<PageShellOptions, 'title' | 'bodyHtml'> {
  /** The page's strings in the editor's language (`localizedPageStrings()`). */
  readonly strings: PageStrings;
}

// The codicon "add" glyph, inline: an icon button never wraps in a narrow view.
const NEW_CHAT_ICON =
  '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="currentColor" d="M14 7v1H8v6H7V8H1V7h6V1h1v6h6z"/></svg>';

/**
 * The chat page (its CSP: {@link pageShell}). The strings table rides as JSON in `#app`'s
 * `data-page-strings` attribute; the page validates it (parsePageStrings) before use. The
 * conversation is no live region: one short announcement per finished answer goes to `#announcer`.
 */
export function chatHtml(options: ChatHtmlOptions): string {
  const strings = options.strings;
  return pageShell({
    ...options,
    title: strings.pageTitle,
    bodyHtml: `<div id="app" class="app" data-page-strings="${escapedHtml(JSON.stringify(strings))}">
  <main id="conversation" class="conversation" aria-label="${escapedHtml(strings.conversationAria)}"></main>
  <div id="wait-slot" class="wait-slot" hidden></div>
  <div id="notice" class="notice" role="status" aria-live="polite"></div>
  <div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
  <section class="composer" aria-label="${escapedHtml(strings.composerAria)}">
    <div id="chips" class="chips" role="group" aria-label="${escapedHtml(strings.chipsAria)}"></div>
    <div class="composer-tools">
      <button id="attach" type="button" class="secondary tool" aria-label="${escapedHtml(strings.attachAria)}">${escapedHtml(strings.attach)}</button>
      <button id="pick-model" type="button" class="secondary tool model-button"></button>
      <button id="history" type="button" class="secondary tool" aria-label="${escapedHtml(strings.historyButtonAria)}">${escapedHtml(strings.historyButton)}</button>
    </div>
    <textarea id="prompt" rows="3" aria-label="${escapedHtml(strings.promptAria)}" placeholder="${escapedHtml(strings.promptPlaceholder)}"></textarea>
    <div class="composer-footer">
      <label class="mode-toggle" title="${escapedHtml(strings.agentModeAria)}"><input id="agent-mode" type="checkbox" role="switch" aria-label="${escapedHtml(strings.agentModeAria)}"> ${escapedHtml(strings.agentMode)}</label>
      <span id="estimate" class="estimate" aria-live="polite"></span>
      <span class="composer-buttons">
        <button id="new-chat" type="button" class="secondary icon" aria-label="${escapedHtml(strings.newChatAria)}" title="${escapedHtml(strings.newChat)}">${NEW_CHAT_ICON}</button>
        <button id="stop" type="button" class="secondary" aria-label="${escapedHtml(strings.stopAria)}" hidden>${escapedHtml(strings.stop)}</button>
        <button id="send" type="button" aria-label="${escapedHtml(strings.sendAria)}">${escapedHtml(strings.send)}</button>
      </span>
    </div>
    <div id="warning" class="warning" role="alert" hidden></div>
  </section>
</div>`,
  });
}
