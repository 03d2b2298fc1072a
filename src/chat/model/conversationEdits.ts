/**
 * The answer actions as conversation operations: regenerate the last answer, edit a user message
 * and send it again (dropping what followed), copy an answer's Markdown; and which of them a
 * message offers. Pure: ids, times and the model are passed in. An operation that does not apply
 * returns undefined, so the caller sends nothing.
 */
import type { ChatMessageView } from './chatProtocol';
import { withUserMessage, type ChatTurn, type Conversation } from './chatConversation';

/** A conversation ready to answer: the pending assistant turn to stream into. */
export interface RewrittenConversation {
  readonly conversation: Conversation;
  readonly answerId: string;
}

/** An action a message offers in the page. */
export type MessageAction = 'copy' | 'regenerate' | 'edit';

/** What a new answer needs: its id (or the two ids of a resent exchange), the time and the model asked. */
export interface AnswerStart {
  readonly nowMs: number;
  readonly model: string;
}

function isInProgress(turn: ChatTurn | ChatMessageView): boolean {
  return turn.status === 'pending' || turn.status === 'streaming';
}

function hasInProgress(conversation: Conversation): boolean {
  return conversation.turns.some(isInProgress);
}

/**
 * The conversation with its last answer replaced by a new pending one (the question asked again),
 * or undefined when `answerId` is not the last turn, not an ended answer, or not after a question.
 */
export function regenerated(
  conversation: Conversation,
  answerId: string,
  next: AnswerStart & { readonly answerId: string },
): RewrittenConversation | undefined {
  const turns = conversation.turns;
  const last = turns.at(-1);
  const question = turns.at(-2);
  if (!last || last.id !== answerId || last.role !== 'assistant' || isInProgress(last)) return undefined;
  if (question?.role !== 'user' || hasInProgress(conversation)) return undefined;
  const answer: ChatTurn = {
    id: next.answerId,
    role: 'assistant',
    text: '',
    status: 'pending',
    createdAtMs: next.nowMs,
    model: next.model,
  };
  return {
    conversation: { ...conversation, turns: [...turns.slice(0, -1), answer] },
    answerId: next.answerId,
  };
}

/**
 * The conversation cut before user message `userId`, with `text` sent in its place (its context kept)
 * and a pending answer; undefined when there is no such user message, the text is blank, or an
 * answer is in progress.
 */
export function editedAndResent(
  conversation: Conversation,
  userId: string,
  next: AnswerStart & { readonly text: string; readonly ids: readonly [string, string] },
): RewrittenConversation | undefined {
  const index = conversation.turns.findIndex((t) => t.id === userId);
  const original = conversation.turns[index];
  if (!original || original.role !== 'user' || next.text.trim() === '' || hasInProgress(conversation))
    return undefined;
  const kept = { ...conversation, turns: conversation.turns.slice(0, index) };
  return {
    conversation: withUserMessage(kept, {
      ids: next.ids,
      text: next.text,
      attachments: original.context ?? [],
      nowMs: next.nowMs,
      model: next.model,
    }),
    answerId: next.ids[1],
  };
}

/** The Markdown of answer `answerId` as it stands (partial text included), or undefined when it has none. */
export function answerMarkdown(conversation: Conversation, answerId: string): string | undefined {
  const turn = conversation.turns.find((t) => t.id === answerId && t.role === 'assistant');
  return turn && turn.text.trim() !== '' ? turn.text : undefined;
}

/**
 * The actions message `index` offers: Copy on an answer with text that is not streaming; while no
 * answer is in progress, Regenerate on the last answer (after a question) and Edit on a user message.
 */
export function messageActionsOf(
  messages: readonly ChatMessageView[],
  index: number,
  isBusy: boolean,
): MessageAction[] {
  const message = messages[index];
  if (!message) return [];
  const isIdle = !isBusy && !messages.some(isInProgress);
  if (message.role === 'user') return isIdle ? ['edit'] : [];
  const actions: MessageAction[] = [];
  if (!isInProgress(message) && message.text.trim() !== '') actions.push('copy');
  if (isIdle && index === messages.length - 1 && messages[index - 1]?.role === 'user')
    actions.push('regenerate');
  return actions;
}
