/**
 * The chat page. Everything from the host is validated with parseHostMessage; model text is shown
 * only through renderMarkdown (sanitised) and user text only through textContent.
 */
import {
  type ChatMessageView,
  type ComposerBudget,
  type ContextChip,
  type HostMessage,
  type WaitBanner,
  type WebviewMessage,
} from '../model/chatProtocol';
import { promptSizeProblem } from '../model/chatPromptSize';
import { parseHostMessage } from '../model/parseHostMessage';
import { estimateDraft } from '../model/draftEstimate';
import { pageLocalize, pageStringsFromJson } from '../model/pageStrings';
import '../../../media/chat/chat.css';
import type { CodeAction } from './markdown';
import { renderArticle, renderBody } from './messageArticle';
import { renderChip } from './contextChip';
import { initComposerTools } from './composerTools';
import { renderQueue } from './queuedList';
import { EMPTY_QUEUE } from '../model/followUpQueue';
import { countdownText, renderWaitBanner, type PostToHost } from './waitBannerView';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: { readonly draft: string }): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post: PostToHost = (message) => vscode.postMessage(message);

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
}

const conversation = element<HTMLElement>('#conversation');
const prompt = element<HTMLTextAreaElement>('#prompt');
const sendButton = element<HTMLButtonElement>('#send');
const stopButton = element<HTMLButtonElement>('#stop');
const newChatButton = element<HTMLButtonElement>('#new-chat');
const chipsBox = element<HTMLElement>('#chips');
const estimate = element<HTMLElement>('#estimate');
const warning = element<HTMLElement>('#warning');
const notice = element<HTMLElement>('#notice');
// Follow-ups typed while an answer is in progress, shown above the composer.
const queuedBox = document.createElement('section');
queuedBox.className = 'queued';
queuedBox.hidden = true;
element<HTMLElement>('.composer').before(queuedBox);
// The host's table (chatHtml puts it on #app); English for any key it lacks or gets wrong.
const strings = pageStringsFromJson(element<HTMLElement>('#app').dataset['pageStrings']);
const localize = pageLocalize(strings);
const tools = initComposerTools(post, strings);

/** Page state: a copy of what the host sent, nothing more. */
const state = {
  messages: [] as ChatMessageView[],
  isBusy: false,
  banner: null as { banner: WaitBanner; targetMs: number } | null,
  budget: undefined as ComposerBudget | undefined,
  chips: [] as ContextChip[],
  queue: EMPTY_QUEUE,
};

const articles = new Map<string, HTMLElement>();
const pendingRenders = new Set<string>();
let renderTimer: number | undefined;
let noticeTimer: number | undefined;

function isNearBottom(): boolean {
  return conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 80;
}

function scrollToBottom(): void {
  conversation.scrollTop = conversation.scrollHeight;
}

function renderAll(): void {
  const stick = isNearBottom();
  articles.clear();
  const nodes: HTMLElement[] = [];
  if (state.messages.length === 0) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    const title = document.createElement('p');
    title.textContent = strings.emptyTitle;
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent = strings.emptyHint;
    empty.append(title, hint);
    nodes.push(empty);
  }
  for (const message of state.messages) {
    const article = renderArticle(message, state.isBusy, strings);
    articles.set(message.id, article);
    nodes.push(article);
  }
  conversation.replaceChildren(...nodes);
  placeBanner();
  if (stick) scrollToBottom();
  updateComposer();
}

function replaceMessage(message: ChatMessageView): void {
  const index = state.messages.findIndex((m) => m.id === message.id);
  if (index === -1) {
    state.messages.push(message);
    renderAll();
    return;
  }
  state.messages[index] = message;
  const stick = isNearBottom();
  const article = renderArticle(message, state.isBusy, strings);
  articles.get(message.id)?.replaceWith(article);
  articles.set(message.id, article);
  placeBanner();
  if (stick) scrollToBottom();
}

function appendDelta(messageId: string, text: string): void {
  const message = state.messages.find((m) => m.id === messageId);
  if (!message) return;
  const index = state.messages.indexOf(message);
  state.messages[index] = { ...message, text: message.text + text, status: 'streaming' };
  pendingRenders.add(messageId);
  // Re-rendering the Markdown on every fragment is wasteful; a few times a second is smooth enough.
  renderTimer ??= window.setTimeout(flushRenders, 40);
}

function flushRenders(): void {
  renderTimer = undefined;
  const stick = isNearBottom();
  for (const id of pendingRenders) {
    const message = state.messages.find((m) => m.id === id);
    const body = articles.get(id)?.querySelector<HTMLElement>('.body');
    if (message && body) renderBody(body, message, strings);
  }
  pendingRenders.clear();
  if (stick) scrollToBottom();
}

function placeBanner(): void {
  conversation.querySelector('.wait-banner')?.remove();
  const current = state.banner;
  if (!current) return;
  const box = renderWaitBanner(current.banner, post, strings);
  const anchor = articles.get(current.banner.messageId);
  if (anchor) anchor.after(box);
  else conversation.append(box);
  updateCountdown();
}

function updateCountdown(): void {
  const current = state.banner;
  const countdown = conversation.querySelector<HTMLElement>('.wait-countdown');
  if (!current || !countdown) return;
  countdown.textContent = countdownText(current.banner, current.targetMs, Date.now(), strings);
}

function renderChips(): void {
  chipsBox.replaceChildren(...state.chips.map((chip) => renderChip(chip, post, strings)));
}

function updateComposer(): void {
  // While an answer is in progress Send queues the message (the host sends it when the answer ends).
  sendButton.textContent = state.isBusy ? strings.queueMessage : strings.send;
  sendButton.setAttribute('aria-label', state.isBusy ? strings.queueMessageAria : strings.sendAria);
  stopButton.hidden = !state.isBusy;
  const draft = estimateDraft(state.budget, prompt.value, localize);
  estimate.textContent = draft.estimate;
  warning.hidden = !draft.isTooBig && !draft.isTooLong;
  warning.textContent = draft.warning;
  sendButton.disabled = prompt.value.trim() === '' || draft.isTooBig || draft.isTooLong;
}

function showNotice(level: 'info' | 'error', text: string): void {
  notice.textContent = text;
  notice.className = `notice ${level}`;
  if (noticeTimer !== undefined) window.clearTimeout(noticeTimer);
  noticeTimer = window.setTimeout(() => {
    notice.textContent = '';
  }, 5_000);
}

function send(): void {
  const text = prompt.value;
  // The host would drop an oversized prompt: say why here and keep it in the box.
  const tooLong = promptSizeProblem(text, localize);
  if (tooLong !== undefined) {
    showNotice('error', tooLong);
    return;
  }
  if (text.trim() === '' || sendButton.disabled) return;
  vscode.postMessage({ type: 'send', text });
  prompt.value = '';
  vscode.setState({ draft: '' });
  updateComposer();
}

function onHostMessage(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      state.messages = [...message.messages];
      state.isBusy = message.isBusy;
      renderAll();
      return;
    case 'message':
      state.isBusy = message.isBusy;
      replaceMessage(message.message);
      if (!message.isBusy) renderAll();
      updateComposer();
      return;
    case 'delta':
      appendDelta(message.messageId, message.text);
      return;
    case 'wait':
      state.banner = message.banner
        ? { banner: message.banner, targetMs: Date.now() + (message.banner.remainingMs ?? 0) }
        : null;
      placeBanner();
      return;
    case 'context':
      state.chips = [...message.chips];
      state.budget = message.budget;
      renderChips();
      updateComposer();
      return;
    case 'notice':
      showNotice(message.level, message.text);
      return;
    case 'queue':
      state.queue = { messages: [...message.messages], isPaused: message.isPaused };
      renderQueue(queuedBox, state.queue, post, strings);
      return;
    case 'model':
      tools.showModel(message.choice);
      return;
    case 'focus':
      prompt.focus();
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message) onHostMessage(message);
});

conversation.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const link = target.closest('a');
  if (link) {
    // Never let the webview navigate: the host checks the scheme and opens http(s) externally.
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) vscode.postMessage({ type: 'openLink', href });
    return;
  }
  const action = target.closest<HTMLButtonElement>('button[data-action]');
  if (action) {
    // A fenced block's text ends with the newline before the closing fence; it is not part of the code.
    const code = (action.closest('.code-block')?.querySelector('pre code')?.textContent ?? '').replace(
      /\n$/,
      '',
    );
    vscode.postMessage({ type: action.dataset['action'] as CodeAction, code });
    return;
  }
  const resume = target.closest<HTMLButtonElement>('button[data-resume]');
  if (resume?.dataset['resume']) vscode.postMessage({ type: 'resume', messageId: resume.dataset['resume'] });
});

prompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
    if (event.isComposing) return;
    event.preventDefault();
    send();
  }
});
prompt.addEventListener('input', () => {
  vscode.setState({ draft: prompt.value });
  updateComposer();
});
sendButton.addEventListener('click', send);
stopButton.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
newChatButton.addEventListener('click', () => vscode.postMessage({ type: 'newChat' }));

window.setInterval(updateCountdown, 1_000);

const saved = vscode.getState();
if (typeof saved === 'object' && saved !== null && 'draft' in saved && typeof saved.draft === 'string') {
  prompt.value = saved.draft;
}
updateComposer();
vscode.postMessage({ type: 'ready' });
