import type { ChatMessageView } from '../model/chatProtocol';
import { renderMarkdown } from './markdown';

const STATUS_TEXT: Readonly<Record<ChatMessageView['status'], string>> = {
  complete: '',
  pending: 'Waiting…',
  streaming: '',
  interrupted: 'Interrupted',
  stopped: 'Stopped',
  failed: 'Failed',
};

/** Fills a message's body: user text as plain text, Claude's through the sanitising Markdown renderer. */
export function renderBody(body: HTMLElement, message: ChatMessageView): void {
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

/** One message as an article: role and model, context labels, body, and its status line (with Continue / Resume / Retry while `isBusy` is false). */
export function renderArticle(message: ChatMessageView, isBusy: boolean): HTMLElement {
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
    if (!isBusy && ['interrupted', 'stopped', 'failed'].includes(message.status)) {
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
