import type { PageStrings } from './model/pageStrings';

/** What the chat page's HTML needs from the host; no VS Code types so it can be unit-tested. */
export interface ChatHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh nonce (base64 from crypto.randomBytes) for the one script tag. */
  readonly nonce: string;
  /** `asWebviewUri` of media/chat/dist/chat.js and chat.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The page's strings in the editor's language (`localizedPageStrings()`). */
  readonly strings: PageStrings;
  /** `vscode.env.language`, e.g. "en" or "de", for the page's `lang`. */
  readonly language: string;
}

/** `value` safe inside an HTML attribute or element text. */
function escaped(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The chat page. CSP: nothing by default; styles only from the extension's media, the one script
 * only by nonce; no remote images, fonts, frames or connections. The strings table rides as JSON
 * in `#app`'s `data-page-strings` attribute; the page validates it (parsePageStrings) before use.
 */
export function chatHtml(options: ChatHtmlOptions): string {
  const strings = options.strings;
  const csp = [
    "default-src 'none'",
    `style-src ${options.cspSource}`,
    `script-src 'nonce-${options.nonce}'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escaped(options.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escaped(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escaped(options.styleUri)}">
<title>${escaped(strings.pageTitle)}</title>
</head>
<body>
<div id="app" class="app" data-page-strings="${escaped(JSON.stringify(strings))}">
  <main id="conversation" class="conversation" role="log" aria-label="${escaped(strings.conversationAria)}" aria-live="polite"></main>
  <div id="notice" class="notice" role="status" aria-live="polite"></div>
  <section class="composer" aria-label="${escaped(strings.composerAria)}">
    <div id="chips" class="chips" role="group" aria-label="${escaped(strings.chipsAria)}"></div>
    <textarea id="prompt" rows="3" aria-label="${escaped(strings.promptAria)}" placeholder="${escaped(strings.promptPlaceholder)}"></textarea>
    <div class="composer-footer">
      <span id="estimate" class="estimate" aria-live="polite"></span>
      <span class="composer-buttons">
        <button id="new-chat" type="button" class="secondary" aria-label="${escaped(strings.newChatAria)}">${escaped(strings.newChat)}</button>
        <button id="stop" type="button" class="secondary" aria-label="${escaped(strings.stopAria)}" hidden>${escaped(strings.stop)}</button>
        <button id="send" type="button" aria-label="${escaped(strings.sendAria)}">${escaped(strings.send)}</button>
      </span>
    </div>
    <div id="warning" class="warning" role="alert" hidden></div>
  </section>
</div>
<script nonce="${escaped(options.nonce)}" src="${escaped(options.scriptUri)}"></script>
</body>
</html>`;
}
