import type { FollowUpQueue } from '../model/followUpQueue';
import { pageText, type PageStrings } from '../model/pageStrings';
import type { PostToHost } from './waitBannerView';
import { pageButton } from './pageButton';

/** Fills `box` with the queued follow-ups (user text as text only), each with a Cancel button; hides it when none wait. */
export function renderQueue(
  box: HTMLElement,
  queue: FollowUpQueue,
  post: PostToHost,
  strings: PageStrings,
): void {
  box.hidden = queue.messages.length === 0;
  box.classList.toggle('paused', queue.isPaused);
  const title = document.createElement('p');
  title.className = 'queued-title';
  title.textContent = queue.isPaused ? strings.queuedPausedTitle : strings.queuedTitle;
  const list = document.createElement('ol');
  for (const message of queue.messages) {
    const item = document.createElement('li');
    item.className = 'queued-message';
    item.dataset['id'] = message.id;
    const text = document.createElement('span');
    text.className = 'queued-text';
    text.textContent = message.text;
    const cancel = pageButton(
      strings.cancelWait,
      pageText(strings, 'cancelQueuedAria', message.text.slice(0, 80)),
      'secondary cancel-queued',
      () => post({ type: 'cancelQueued', messageId: message.id }),
    );
    item.append(text, cancel);
    list.append(item);
  }
  box.replaceChildren(title, list);
}
