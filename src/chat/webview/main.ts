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
import { parseHostMessage } from '../model/parseHostMessage';
import { formatCountdown } from '../../status/model/statusPresentation';
import '../../../media/chat/chat.css';
import { renderMarkdown, type CodeAction } from './markdown';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: { readonly draft: string }): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

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

/** Page state: a copy of what the host sent, nothing more. */
const state = {
  messages: [] as ChatMessageView[],
  isBusy: false,
  banner: null as { banner: WaitBanner; targetMs: number } | null,
  budget: undefined as ComposerBudget | undefined,
  chips: [] as ContextChip[],
};

const articles = new Map<string, HTMLElement>();
const pendingRenders = new Set<string>();
let renderTimer: number | undefined;
let noticeTimer: number | undefined;

const STATUS_TEXT: Readonly<Record<ChatMessageView['status'], string>> = {
  complete: '',
  pending: 'Waiting…',
  streaming: '',
  interrupted: 'Interrupted',
  stopped: 'Stopped',
  failed: 'Failed',
};

function isNearBottom(): boolean {
  return conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 80;
}

function scrollToBottom(): void {
  conversation.scrollTop = conversation.scrollHeight;
}

function renderBody(body: HTMLElement, message: ChatMessageView): void {
  if (message.role === 'user') {
    body.textContent = message.text;
    return;
  }
  if (message.text === '' && message.status === 'pending') {
    const waiting = document.createElement('p');
    waiting.className = 'placeholder';
    waiting.textContent = 'Waiting for Claude…';
    body.replaceChildren(waiting);
    return;
  }
  body.replaceChildren(renderMarkdown(message.text));
}

function renderArticle(message: ChatMessageView): HTMLElement {
  const article = document.createElement('article');
  article.className = `message ${message.role} status-${message.status}`;
  article.dataset['id'] = message.id;
  article.setAttribute('aria-label', message.role === 'user' ? 'You said' : 'Claude said');
  const header = document.createElement('header');
  header.className = 'role';
  header.textContent = message.role === 'user' ? 'You' : 'Claude';
  if (message.model && message.role === 'assistant') {
    const model = document.createElement('span');
    model.className = 'model';
    model.textContent = message.model;
    header.append(' ', model);
  }
  article.append(header);
  if (message.context && message.context.length > 0) {
    const labels = document.createElement('div');
    labels.className = 'context-labels';
    for (const c of message.context) {
      const tag = document.createElement('span');
      tag.className = 'context-label';
      tag.textContent = `${c.kind === 'selection' ? 'Selection' : 'File'} ${c.label} · ~${c.tokens.toLocaleString('en-US')} tokens`;
      labels.append(tag);
    }
    article.append(labels);
  }
  const body = document.createElement('div');
  body.className = 'body';
  renderBody(body, message);
  article.append(body);
  const statusText = STATUS_TEXT[message.status];
  if (message.role === 'assistant' && (statusText !== '' || message.note)) {
    const status = document.createElement('div');
    status.className = 'status-line';
    if (message.status !== 'pending' && message.status !== 'streaming') {
      const label = document.createElement('span');
      label.className = 'status-label';
      label.textContent = message.note ?? statusText;
      status.append(label);
    }
    if (!state.isBusy && ['interrupted', 'stopped', 'failed'].includes(message.status)) {
      const action = document.createElement('button');
      action.type = 'button';
      action.className = 'resume';
      action.dataset['resume'] = message.id;
      const hasText = message.text.trim() !== '';
      action.textContent = hasText ? 'Continue' : message.status === 'failed' ? 'Retry' : 'Resume';
      action.setAttribute(
        'aria-label',
        hasText ? 'Continue the answer from where it stopped' : 'Send this message again',
      );
      status.append(action);
    }
    if (status.childElementCount > 0) article.append(status);
  }
  return article;
}

function renderAll(): void {
  const stick = isNearBottom();
  articles.clear();
  const nodes: HTMLElement[] = [];
  if (state.messages.length === 0) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    const title = document.createElement('p');
    title.textContent = 'Ask Claude about your code.';
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent =
      'The current selection is attached when its chip is on. When a rate limit is reached, your message waits here and is sent as soon as the limit allows.';
    empty.append(title, hint);
    nodes.push(empty);
  }
  for (const message of state.messages) {
    const article = renderArticle(message);
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
  const article = renderArticle(message);
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
    if (message && body) renderBody(body, message);
  }
  pendingRenders.clear();
  if (stick) scrollToBottom();
}

function placeBanner(): void {
  conversation.querySelector('.wait-banner')?.remove();
  const current = state.banner;
  if (!current) return;
  const { banner } = current;
  const box = document.createElement('section');
  box.className = `wait-banner${banner.isLong ? ' long' : ''}`;
  box.setAttribute('role', 'status');
  box.setAttribute('aria-label', 'Waiting for the rate limit');
  const title = document.createElement('strong');
  title.className = 'wait-title';
  title.textContent = `Waiting for ${banner.reason}`;
  const details = document.createElement('div');
  details.className = 'wait-details';
  const countdown = document.createElement('span');
  countdown.className = 'wait-countdown';
  // The countdown changes every second: it is not announced, the title is.
  countdown.setAttribute('aria-live', 'off');
  details.append(countdown);
  if (banner.position !== undefined) {
    const position = document.createElement('span');
    position.className = 'wait-position';
    position.textContent = `#${banner.position} in queue`;
    details.append(position);
  }
  box.append(title, details);
  if (banner.isLong) {
    const long = document.createElement('p');
    long.className = 'wait-long';
    long.textContent = 'This is a long wait. You can keep waiting, switch models, or cancel.';
    box.append(long);
  }
  const actions = document.createElement('div');
  actions.className = 'wait-actions';
  actions.append(button('Retry now', 'Retry now, ending the cool-down', { type: 'retryNow' }));
  if (banner.fallbackModel) {
    actions.append(
      button(`Use ${banner.fallbackModel}`, `Switch to the fallback model ${banner.fallbackModel}`, {
        type: 'useFallback',
      }),
    );
  }
  actions.append(button('Cancel', 'Cancel this message', { type: 'stop' }, true));
  box.append(actions);
  const anchor = articles.get(banner.messageId);
  if (anchor) anchor.after(box);
  else conversation.append(box);
  updateCountdown();
}

function button(
  label: string,
  aria: string,
  message: WebviewMessage,
  isSecondary = false,
): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.setAttribute('aria-label', aria);
  if (isSecondary) b.className = 'secondary';
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

function updateCountdown(): void {
  const current = state.banner;
  const countdown = conversation.querySelector<HTMLElement>('.wait-countdown');
  if (!current || !countdown) return;
  if (current.banner.remainingMs === undefined) {
    countdown.textContent = 'Starts when the limit allows';
    return;
  }
  const now = Date.now();
  countdown.textContent =
    current.targetMs > now ? `Resumes in ${formatCountdown(current.targetMs, now)}` : 'Resuming…';
}

function renderChips(): void {
  const nodes = state.chips.map((chip) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `chip${chip.isEnabled ? ' on' : ''}`;
    b.setAttribute('aria-pressed', String(chip.isEnabled));
    const kind = chip.kind === 'selection' ? 'Selection' : 'File';
    b.textContent = `${kind}: ${chip.label} · ~${chip.tokens.toLocaleString('en-US')} tokens`;
    b.setAttribute(
      'aria-label',
      `${chip.isEnabled ? 'Included' : 'Not included'}: ${kind.toLowerCase()} ${chip.label}, about ${chip.tokens} tokens. Press to ${chip.isEnabled ? 'leave it out' : 'include it'}.`,
    );
    b.addEventListener('click', () =>
      vscode.postMessage({ type: 'toggleContext', kind: chip.kind, isEnabled: !chip.isEnabled }),
    );
    return b;
  });
  chipsBox.replaceChildren(...nodes);
}

function draftTokens(): number {
  const budget = state.budget;
  if (!budget) return 0;
  return budget.baseTokens + Math.ceil(prompt.value.length / budget.charsPerToken);
}

function updateComposer(): void {
  sendButton.hidden = state.isBusy;
  stopButton.hidden = !state.isBusy;
  const budget = state.budget;
  const tokens = draftTokens();
  const fmt = (n: number): string => n.toLocaleString('en-US');
  estimate.textContent = budget
    ? `≈ ${fmt(tokens)} input tokens${budget.limitTokens !== undefined ? ` of ${fmt(budget.limitTokens)}/min` : ''} · ${budget.model}`
    : '';
  const tooBig = budget?.limitTokens !== undefined && tokens > budget.limitTokens;
  warning.hidden = !tooBig;
  warning.textContent = tooBig
    ? `This message needs about ${fmt(tokens)} input tokens, more than your limit of ${fmt(budget.limitTokens ?? 0)} per minute, so it can never be sent. Shorten it or turn off some context.`
    : '';
  sendButton.disabled = state.isBusy || prompt.value.trim() === '' || tooBig;
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
  if (state.isBusy || text.trim() === '' || sendButton.disabled) return;
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
