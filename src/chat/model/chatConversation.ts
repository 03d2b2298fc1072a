/**
 * The chat conversation as data: its turns, how they change, and the page's view of them. The
 * request built from a conversation is in chatRequest, the persisted shape in chatPersistence.
 * Pure: ids and times are passed in.
 */
import { ENGLISH, type Localize } from '../../status/model/localize';
import type { ChatMessageStatus, ChatMessageView, ContextKind } from './chatProtocol';

/** Characters per token of the chat's estimates (the same rule as the scheduler's default estimator). */
export const CHAT_CHARS_PER_TOKEN = 4;

/** Context attached to a user turn: its text is kept so the history (and its cache prefix) is stable. */
export interface ContextAttachment {
  readonly kind: ContextKind;
  /** e.g. `src/app.ts:10-24` or `src/app.ts` */
  readonly label: string;
  readonly text: string;
  /** Language id for the fence, e.g. `typescript`. */
  readonly language: string;
}

/** One turn of the conversation. */
export interface ChatTurn {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly status: ChatMessageStatus;
  readonly createdAtMs: number;
  readonly context?: readonly ContextAttachment[];
  readonly note?: string;
  readonly model?: string;
}

/** The whole conversation. */
export interface Conversation {
  readonly id: string;
  readonly turns: readonly ChatTurn[];
  /** When the last request of this conversation completed, and with which model (prompt cache warmth). */
  readonly lastCompleted?: { readonly atMs: number; readonly model: string };
  /** The model chosen for this conversation in the chat's picker; absent: the `claudePacer.model` setting. */
  readonly model?: string;
}

/** A new, empty conversation. */
export function emptyConversation(conversationId: string): Conversation {
  return { id: conversationId, turns: [] };
}

/** Estimated tokens of a piece of text, as the chat counts them. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHAT_CHARS_PER_TOKEN);
}

/** Replaces the turn with id `turnId`. */
export function updateTurn(
  conversation: Conversation,
  turnId: string,
  change: (turn: ChatTurn) => ChatTurn,
): Conversation {
  return { ...conversation, turns: conversation.turns.map((t) => (t.id === turnId ? change(t) : t)) };
}

/**
 * The conversation with a user message and its (pending) answer appended: `ids` name the two
 * turns, `model` the model asked to answer.
 */
export function withUserMessage(
  conversation: Conversation,
  message: {
    readonly ids: readonly [string, string];
    readonly text: string;
    readonly attachments: readonly ContextAttachment[];
    readonly nowMs: number;
    readonly model: string;
  },
): Conversation {
  const { ids, text, attachments, nowMs, model } = message;
  const user: ChatTurn = {
    id: ids[0],
    role: 'user',
    text,
    status: 'complete',
    createdAtMs: nowMs,
    ...(attachments.length > 0 ? { context: attachments } : {}),
  };
  const assistant: ChatTurn = {
    id: ids[1],
    role: 'assistant',
    text: '',
    status: 'pending',
    createdAtMs: nowMs,
    model,
  };
  return { ...conversation, turns: [...conversation.turns, user, assistant] };
}

/** Whether an assistant turn offers Continue/Resume. */
export function canResume(turn: ChatTurn): boolean {
  return (
    turn.role === 'assistant' &&
    (turn.status === 'interrupted' || turn.status === 'stopped' || turn.status === 'failed')
  );
}

/** The page's view of a conversation. */
export function toMessageViews(conversation: Conversation): ChatMessageView[] {
  return conversation.turns.map(toMessageView);
}

/** The page's view of one turn (context as labels and sizes, never re-sent as text). */
export function toMessageView(turn: ChatTurn): ChatMessageView {
  return {
    id: turn.id,
    role: turn.role,
    text: turn.text,
    status: turn.status,
    ...(turn.context && turn.context.length > 0
      ? {
          context: turn.context.map((c) => ({
            kind: c.kind,
            label: c.label,
            tokens: estimateTextTokens(c.text),
          })),
        }
      : {}),
    ...(turn.note !== undefined ? { note: turn.note } : {}),
    ...(turn.model !== undefined ? { model: turn.model } : {}),
  };
}

/**
 * After a window reload nothing is in flight any more: answers that were queued or streaming
 * become interrupted (their partial text kept) and offer Resume.
 */
export function restoreAfterReload(conversation: Conversation, t: Localize = ENGLISH): Conversation {
  return {
    ...conversation,
    turns: conversation.turns.map((turn) =>
      turn.role === 'assistant' && (turn.status === 'pending' || turn.status === 'streaming')
        ? {
            ...turn,
            status: 'interrupted',
            note:
              turn.status === 'pending'
                ? t('Was waiting to be sent when the window reloaded.')
                : t('Interrupted by a window reload.'),
          }
        : turn,
    ),
  };
}
