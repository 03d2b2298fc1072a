import * as vscode from 'vscode';
import type { ContextAttachment } from './model/chatConversation';
import type { HostMessage } from './model/chatProtocol';
import {
  afterAnswer,
  EMPTY_QUEUE,
  MAX_QUEUED_MESSAGES,
  takeNext,
  withoutQueued,
  withQueued,
  type FollowUpQueue,
  type QueuedMessage,
} from './model/followUpQueue';

/**
 * The chat view's follow-ups queue (rules in `model/followUpQueue.ts`): holds what the user sent
 * while an answer was in progress and hands the next message out when an answer ends.
 */
export class ChatFollowUps {
  /** Where the queue tells the page what waits, and the user when a message is refused. */
  readonly #post: (message: HostMessage) => void;
  readonly #newId: () => string;
  #queue: FollowUpQueue = EMPTY_QUEUE;

  constructor(post: (message: HostMessage) => void, newId: () => string) {
    this.#post = post;
    this.#newId = newId;
  }

  /** The queue as it is now. */
  get queue(): FollowUpQueue {
    return this.#queue;
  }

  /** Whether anything waits (then a new message must queue behind it, to keep the order). */
  get hasWaiting(): boolean {
    return this.#queue.messages.length > 0;
  }

  /** Queues `text` with its `attachments`; false (and the user told why) when the queue is full. */
  add(text: string, attachments: readonly ContextAttachment[] = []): boolean {
    const message = { id: this.#newId(), text, ...(attachments.length > 0 ? { attachments } : {}) };
    const { queue, isAccepted } = withQueued(this.#queue, message);
    if (!isAccepted) {
      this.#post({
        type: 'notice',
        level: 'error',
        text: vscode.l10n.t(
          'At most {0} messages can wait for the answer in progress; this one was not queued.',
          MAX_QUEUED_MESSAGES,
        ),
      });
      return false;
    }
    this.#set(queue);
    return true;
  }

  /** Drops a queued message (the page's cancel button). */
  cancel(id: string): void {
    this.#set(withoutQueued(this.#queue, id));
  }

  /** Empties the queue (a new chat). */
  clear(): void {
    this.#set(EMPTY_QUEUE);
  }

  /** After an answer ended: the message to send next, if the answer completed and one waits. */
  next(isCompleted: boolean): QueuedMessage | undefined {
    const step = afterAnswer(this.#queue, isCompleted ? 'completed' : 'notCompleted');
    this.#set(step.queue);
    return step.next;
  }

  /** With no answer in progress: the oldest waiting message, resuming a paused queue. */
  resume(): QueuedMessage | undefined {
    const step = takeNext(this.#queue);
    this.#set(step.queue);
    return step.next;
  }

  /** Tells the page the queue again (a page that just loaded). */
  show(): void {
    this.#showQueue();
  }

  #set(queue: FollowUpQueue): void {
    if (queue === this.#queue) return;
    this.#queue = queue;
    this.#showQueue();
  }

  #showQueue(): void {
    // Only ids and texts reach the page: a queued message's attachments stay in the host.
    const messages = this.#queue.messages.map(({ id, text }) => ({ id, text }));
    this.#post({ type: 'queue', messages, isPaused: this.#queue.isPaused });
  }
}
