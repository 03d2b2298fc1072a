/**
 * The chat page. Everything from the host is validated with parseHostMessage; model text is shown
 * only through renderMarkdown (sanitised) and user text only through textContent.
 */
import {
  type ChatMessageView,
  type ComposerBudget,
  type ContextChip,
  type HostMessage,
  type WebviewMessage,
} from '../model/chatProtocol';
import { promptSizeProblem } from '../model/chatPromptSize';
import { parseHostMessage } from '../model/parseHostMessage';
import { estimateDraft } from '../model/draftEstimate';
import { pageLocalize, pageStringsFromJson } from '../model/pageStrings';
import '../../../media/chat/chat.css';
import { renderArticle } from './messageArticle';
import { renderChip } from './contextChip';
import { initComposerTools } from './composerTools';
import { renderQueue } from './queuedList';
import { EMPTY_QUEUE } from '../model/followUpQueue';
import { AgentRunList } from './agentRunArticle';
import type { PostToHost } from './waitBannerView';
import { BannerSlot } from './bannerSlot';
import { EditMode } from './editMode';
import { StreamedBodies } from './streamedBodies';
import { handleConversationClick } from './conversationClicks';
import { AnswerAnnouncer } from '../model/answerAnnouncement';
import { messageActionsOf } from '../model/conversationEdits';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: { readonly draft: string; readonly isAgentMode: boolean }): void;
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
const agentMode = element<HTMLInputElement>('#agent-mode');
// The one live region for answers: a short message when each ends (the conversation itself is silent).
const announcerRegion = element<HTMLElement>('#announcer');
const announcer = new AnswerAnnouncer();
// Follow-ups typed while an answer is in progress, shown above the composer.
const queuedBox = document.createElement('section');
queuedBox.className = 'queued';
queuedBox.hidden = true;
element<HTMLElement>('.composer').before(queuedBox);
// The host's table (chatHtml puts it on #app); English for any key it lacks or gets wrong.
const strings = pageStringsFromJson(element<HTMLElement>('#app').dataset['pageStrings']);
const localize = pageLocalize(strings);
// Agent runs shown inline in the conversation, each after the chat message it followed.
const agentRuns = new AgentRunList(post, strings);
const banner = new BannerSlot(element<HTMLElement>('#wait-slot'), post, strings);
const editMode = new EditMode(element<HTMLElement>('.composer'), prompt, strings, () => updateComposer());
const tools = initComposerTools(post, strings);

/** Page state: a copy of what the host sent, nothing more. */
const state = {
  messages: [] as ChatMessageView[],
  isBusy: false,
  budget: undefined as ComposerBudget | undefined,
  chips: [] as ContextChip[],
  queue: EMPTY_QUEUE,
};

const articles = new Map<string, HTMLElement>();
const streamed = new StreamedBodies(
  strings,
  (id) => {
    const message = state.messages.find((m) => m.id === id);
    return (
      message && {
        text: message.text,
        body: articles.get(id)?.querySelector<HTMLElement>('.body') ?? undefined,
      }
    );
  },
  keepingScroll,
);
let noticeTimer: number | undefined;

/** Runs `render`, then scrolls to the end if the conversation was at its end before. */
function keepingScroll(render: () => void): void {
  const stick = isNearBottom();
  render();
  if (stick) scrollToBottom();
}

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
  if (state.messages.length === 0 && agentRuns.isEmpty) {
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
  const rendered = state.messages.map((message) => {
    const article = articleOf(message);
    articles.set(message.id, article);
    return { id: message.id, article };
  });
  nodes.push(...agentRuns.interleave(rendered));
  conversation.replaceChildren(...nodes);
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
  const article = articleOf(message);
  articles.get(message.id)?.replaceWith(article);
  articles.set(message.id, article);
  if (stick) scrollToBottom();
}

function articleOf(message: ChatMessageView): HTMLElement {
  const actions = messageActionsOf(state.messages, state.messages.indexOf(message), state.isBusy);
  return renderArticle(message, state.isBusy, strings, actions);
}

function appendDelta(messageId: string, text: string): void {
  const message = state.messages.find((m) => m.id === messageId);
  if (!message) return;
  const index = state.messages.indexOf(message);
  state.messages[index] = { ...message, text: message.text + text, status: 'streaming' };
  streamed.schedule(messageId);
}

function renderChips(): void {
  chipsBox.replaceChildren(...state.chips.map((chip) => renderChip(chip, post, strings)));
}

function updateComposer(): void {
  // While an answer is in progress Send queues the message (the host sends it when the answer ends).
  const isQueueing = state.isBusy && !agentMode.checked;
  sendButton.textContent = isQueueing ? strings.queueMessage : strings.send;
  sendButton.setAttribute('aria-label', isQueueing ? strings.queueMessageAria : strings.sendAria);
  prompt.placeholder = agentMode.checked ? strings.agentPlaceholder : strings.promptPlaceholder;
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

function announce(messages: readonly ChatMessageView[]): void {
  const said = announcer.observe(messages, strings);
  if (said.length === 0) return;
  // Emptied first, so the same words twice in a row are read out twice.
  announcerRegion.textContent = '';
  window.setTimeout(() => {
    announcerRegion.textContent = said.join(' ');
  }, 100);
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
  const editedId = editMode.messageId;
  // The host refuses a resend while an answer is in progress: keep the edit in the box and say why.
  if (editedId !== undefined && state.isBusy) {
    showNotice('error', strings.editWhileBusy);
    return;
  }
  if (editedId === undefined && agentMode.checked && agentRuns.isBusy) {
    showNotice('error', strings.agentBusy);
    return;
  }
  editMode.end();
  vscode.postMessage(
    editedId !== undefined
      ? { type: 'resend', messageId: editedId, text }
      : { type: agentMode.checked ? 'sendAgent' : 'send', text },
  );
  prompt.value = '';
  saveState();
  updateComposer();
}

function saveState(): void {
  vscode.setState({ draft: prompt.value, isAgentMode: agentMode.checked });
}

function onHostMessage(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      state.messages = [...message.messages];
      state.isBusy = message.isBusy;
      if (!state.messages.some((m) => m.id === editMode.messageId)) editMode.cancel();
      announce(state.messages);
      banner.noteConversation(state.messages);
      for (const m of state.messages) banner.noteMessage(m);
      renderAll();
      return;
    case 'message':
      state.isBusy = message.isBusy;
      replaceMessage(message.message);
      announce([message.message]);
      banner.noteMessage(message.message);
      if (!message.isBusy) renderAll();
      updateComposer();
      return;
    case 'delta':
      appendDelta(message.messageId, message.text);
      return;
    case 'wait':
      banner.show(message.banner, Date.now());
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
    case 'agentRun': {
      const stick = isNearBottom();
      if (!agentRuns.upsert(message.run, Date.now())) renderAll();
      else if (stick) scrollToBottom();
      return;
    }
    case 'agentRuns':
      agentRuns.setAll(message.runs, Date.now());
      renderAll();
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message) onHostMessage(message);
});

conversation.addEventListener('click', (event) => handleConversationClick(event, post, onMessageAction));

function onMessageAction(action: string | undefined, messageId: string): void {
  if (action === 'copy') vscode.postMessage({ type: 'copyAnswer', messageId });
  else if (action === 'regenerate') vscode.postMessage({ type: 'regenerate', messageId });
  else if (action === 'edit') {
    const message = state.messages.find((m) => m.id === messageId && m.role === 'user');
    if (message) editMode.start(messageId, message.text);
    updateComposer();
  }
}

prompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
    if (event.isComposing) return;
    event.preventDefault();
    send();
  }
});
prompt.addEventListener('input', () => {
  saveState();
  updateComposer();
});
agentMode.addEventListener('change', () => {
  saveState();
  updateComposer();
});
sendButton.addEventListener('click', send);
stopButton.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
newChatButton.addEventListener('click', () => vscode.postMessage({ type: 'newChat' }));

window.setInterval(() => {
  banner.tick(Date.now());
  agentRuns.updateCountdowns(Date.now());
}, 1_000);

const saved = vscode.getState();
if (typeof saved === 'object' && saved !== null) {
  if ('draft' in saved && typeof saved.draft === 'string') prompt.value = saved.draft;
  agentMode.checked = 'isAgentMode' in saved && saved.isAgentMode === true;
}
updateComposer();
vscode.postMessage({ type: 'ready' });
