/**
 * The chat's follow-ups queue: messages sent while an answer is in progress wait here and are sent
 * one at a time, oldest first, each after the answer before it ends. Pure and immutable.
 *
 * After an answer that did not end on its own (failed, interrupted, stopped, or cut off at the
 * output limit) the queue is kept whole but paused: the next question was written expecting that
 * answer, so nothing more is sent on its own. Sending another message, or a Continue / Retry that
 * completes, resumes it (oldest first, the new message last). A new chat clears it. It is not
 * persisted: a reload drops what was queued.
 */

import type { ContextAttachment } from './chatConversation';

/** Most messages that can wait at once; more are refused with a notice. */
export const MAX_QUEUED_MESSAGES = 10;

/** A message waiting for the answer in progress to end. */
export interface QueuedMessage {
  readonly id: string;
  readonly text: string;
  /** Context it was sent with (Explain's selection, picked files); never shown to the page. */
  readonly attachments?: readonly ContextAttachment[];
}

/** The queue: its messages, oldest first, and whether it waits for the user after an answer that did not end well. */
export interface FollowUpQueue {
  readonly messages: readonly QueuedMessage[];
  readonly isPaused: boolean;
}

/** How the answer before the queue's head ended: only `completed` releases the next message. */
export type AnswerOutcomeForQueue = 'completed' | 'notCompleted';

/** The empty, running queue (a new chat). */
export const EMPTY_QUEUE: FollowUpQueue = { messages: [], isPaused: false };

/** The queue with `message` added last; unchanged (and `isAccepted` false) when it is full. */
export function withQueued(
  queue: FollowUpQueue,
  message: QueuedMessage,
): { readonly queue: FollowUpQueue; readonly isAccepted: boolean } {
  if (queue.messages.length >= MAX_QUEUED_MESSAGES) return { queue, isAccepted: false };
  return { queue: { ...queue, messages: [...queue.messages, message] }, isAccepted: true };
}

/** The queue without message `id` (cancelled by the user); unchanged when it is not queued. */
export function withoutQueued(queue: FollowUpQueue, id: string): FollowUpQueue {
  const messages = queue.messages.filter((m) => m.id !== id);
  if (messages.length === queue.messages.length) return queue;
  return { messages, isPaused: messages.length > 0 && queue.isPaused };
}

/**
 * What to do once an answer ended: a completed answer sends the oldest queued message next (and
 * resumes a paused queue); any other ending pauses the queue and sends nothing.
 */
export function afterAnswer(
  queue: FollowUpQueue,
  outcome: AnswerOutcomeForQueue,
): { readonly queue: FollowUpQueue; readonly next?: QueuedMessage } {
  if (outcome === 'notCompleted') return { queue: { ...queue, isPaused: queue.messages.length > 0 } };
  return takeNext(queue);
}

/** The oldest message to send now and the queue without it (running again). */
export function takeNext(queue: FollowUpQueue): {
  readonly queue: FollowUpQueue;
  readonly next?: QueuedMessage;
} {
  const [next, ...rest] = queue.messages;
  return next ? { queue: { messages: rest, isPaused: false }, next } : { queue: EMPTY_QUEUE };
}
