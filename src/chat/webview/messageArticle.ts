import type { ChatMessageView } from '../model/chatProtocol';
import type { MessageAction } from '../model/conversationEdits';
import { pageText, type PageStringKey, type PageStrings } from '../model/pageStrings';
import { renderMarkdown } from './markdown';

const STATUS_TEXT: Readonly<Record<ChatMessageView['status'], PageStringKey | undefined>> = {
  complete: undefined,
  pending: 'statusPending',
  streaming: undefined,
  interrupted: 'statusInterrupted',
  stopped: 'statusStopped',
  failed: 'statusFailed',
};

/** Fills a message's body: user text as plain text, Claude's through the sanitising Markdown renderer. */
export function renderBody(body: HTMLElement, message: ChatMessageView, strings: PageStrings): void {
  if (message.role === 'user') {
    body.textContent = message.text;
    return;
  }
  if (message.text === '' && message.status === 'pending') {
    const waiting = document.createElement('p');
    waiting.className = 'placeholder';
    waiting.textContent = strings.waitingForClaude;
    body.replaceChildren(waiting);
    return;
  }
  body.replaceChildren(renderMarkdown(message.text, strings));
}

const ACTION_TEXT: Readonly<Record<MessageAction, { label: PageStringKey; aria: PageStringKey }>> = {
  copy: { label: 'copyCode', aria: 'copyAnswerAria' },
  regenerate: { label: 'regenerate', aria: 'regenerateAria' },
  edit: { label: 'editMessage', aria: 'editMessageAria' },
};

/** A message's action row (Copy, Regenerate, Edit); each button names its action and message in data attributes. */
function renderActions(
  message: ChatMessageView,
  actions: readonly MessageAction[],
  strings: PageStrings,
): HTMLElement {
  const row = document.createElement('div');
  row.className = 'message-actions';
  row.setAttribute('role', 'toolbar');
  row.setAttribute('aria-label', strings.answerActionsAria);
  for (const action of actions) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `message-action ${action}`;
    button.dataset['messageAction'] = action;
    button.dataset['messageId'] = message.id;
    button.textContent = strings[ACTION_TEXT[action].label];
    button.setAttribute('aria-label', strings[ACTION_TEXT[action].aria]);
    row.append(button);
  }
  return row;
}

/**
 * One message as an article: role and model, context labels, body, its status line (with Continue
 * / Resume / Retry while `isBusy` is false) and the `actions` it offers.
 */
export function renderArticle(
  message: ChatMessageView,
  isBusy: boolean,
  strings: PageStrings,
  actions: readonly MessageAction[] = [],
): HTMLElement {
  const article = document.createElement('article');
  article.className = `message ${message.role} status-${message.status}`;
  article.dataset['id'] = message.id;
  article.setAttribute('aria-label', message.role === 'user' ? strings.youSaid : strings.claudeSaid);
  const header = document.createElement('header');
  header.className = 'role';
  header.textContent = message.role === 'user' ? strings.you : strings.claude;
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
      tag.textContent = pageText(
        strings,
        c.kind === 'selection' ? 'sentSelection' : c.kind === 'problems' ? 'sentProblems' : 'sentFile',
        c.label,
        c.tokens.toLocaleString('en-US'),
      );
      labels.append(tag);
    }
    article.append(labels);
  }
  const body = document.createElement('div');
  body.className = 'body';
  renderBody(body, message, strings);
  article.append(body);
  const statusKey = STATUS_TEXT[message.status];
  const statusText = statusKey === undefined ? '' : strings[statusKey];
  if (message.role === 'assistant' && (statusText !== '' || message.note)) {
    const status = document.createElement('div');
    status.className = 'status-line';
    if (message.status !== 'pending' && message.status !== 'streaming') {
      const label = document.createElement('span');
      label.className = 'status-label';
      label.textContent = message.note ?? statusText;
      status.append(label);
    }
    if (!isBusy && ['interrupted', 'stopped', 'failed'].includes(message.status)) {
      const action = document.createElement('button');
      action.type = 'button';
      action.className = 'resume';
      action.dataset['resume'] = message.id;
      const hasText = message.text.trim() !== '';
      action.textContent = hasText
        ? strings.continueAnswer
        : message.status === 'failed'
          ? strings.retryMessage
          : strings.resumeMessage;
      action.setAttribute('aria-label', hasText ? strings.continueAnswerAria : strings.sendAgainAria);
      status.append(action);
    }
    if (status.childElementCount > 0) article.append(status);
  }
  if (actions.length > 0) article.append(renderActions(message, actions, strings));
  return article;
}
