/**
 * The chat's conversations of one workspace: which one is shown, the others to switch back to,
 * titled by their first question and listed newest first, capped in number and size. Pure and
 * immutable; the persisted shape is in chatHistoryPersistence.
 */
import { ENGLISH, type Localize } from '../../status/model/localize';
import { emptyConversation, type Conversation } from './chatConversation';

/** Most conversations kept; the oldest beyond it are dropped (never the one shown). */
export const MAX_CONVERSATIONS = 50;
/** Most characters of text kept over all conversations; the oldest beyond it are dropped (never the one shown). */
export const MAX_HISTORY_CHARS = 8_000_000;
/** Longest title, in characters (longer first questions are cut with an ellipsis). */
export const MAX_TITLE_CHARS = 60;

/** The conversations and the one shown. `conversations` never holds an empty one except, possibly, the current. */
export interface ChatHistory {
  readonly currentId: string;
  /** Newest first (by last activity). */
  readonly conversations: readonly Conversation[];
}

/** One row of the history list. */
export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  /** When its last message was written (0 for an empty conversation). */
  readonly lastActivityMs: number;
  /** User questions asked in it. */
  readonly questions: number;
  readonly isCurrent: boolean;
}

/** A history holding only `conversation`, shown. */
export function historyOf(conversation: Conversation): ChatHistory {
  return { currentId: conversation.id, conversations: [conversation] };
}

/** When a conversation last changed: its last turn's time, 0 when it has none. */
export function lastActivityMs(conversation: Conversation): number {
  return conversation.turns.reduce((latest, t) => Math.max(latest, t.createdAtMs), 0);
}

/**
 * The title of a conversation: its first question's first non-empty line, whitespace collapsed,
 * cut to {@link MAX_TITLE_CHARS}; "New chat" before any question.
 */
export function titleOf(conversation: Conversation, t: Localize = ENGLISH): string {
  const first = conversation.turns.find((turn) => turn.role === 'user' && turn.text.trim() !== '');
  if (!first) return t('New chat');
  const line = (first.text.split('\n').find((l) => l.trim() !== '') ?? '').replace(/\s+/g, ' ').trim();
  return line.length > MAX_TITLE_CHARS ? `${line.slice(0, MAX_TITLE_CHARS - 1).trimEnd()}…` : line;
}

/** The conversation shown. */
export function currentOf(history: ChatHistory): Conversation {
  return (
    history.conversations.find((c) => c.id === history.currentId) ?? emptyConversation(history.currentId)
  );
}

/** A stored conversation by id. */
export function conversationById(history: ChatHistory, conversationId: string): Conversation | undefined {
  return history.conversations.find((c) => c.id === conversationId);
}

function textSize(conversation: Conversation): number {
  return conversation.turns.reduce(
    (n, t) => n + t.text.length + (t.context ?? []).reduce((m, c) => m + c.text.length, 0),
    0,
  );
}

function newestFirst(conversations: readonly Conversation[]): Conversation[] {
  // Stable: among equal times the earlier position (the more recently written) stays first.
  return [...conversations].sort((a, b) => lastActivityMs(b) - lastActivityMs(a));
}

/**
 * Drops what is over the caps, oldest first: beyond {@link MAX_CONVERSATIONS}, then until the
 * text fits {@link MAX_HISTORY_CHARS}. The current conversation is always kept, and so are empty
 * conversations only when current.
 */
export function capped(history: ChatHistory): ChatHistory {
  const kept: Conversation[] = [];
  let size = 0;
  for (const c of newestFirst(history.conversations)) {
    const isCurrent = c.id === history.currentId;
    if (!isCurrent && c.turns.length === 0) continue;
    const cSize = textSize(c);
    if (!isCurrent && (kept.length >= MAX_CONVERSATIONS || size + cSize > MAX_HISTORY_CHARS)) continue;
    kept.push(c);
    size += cSize;
  }
  // The current one may push the total over the caps: drop the oldest others until it fits.
  while (kept.length > MAX_CONVERSATIONS || (size > MAX_HISTORY_CHARS && kept.length > 1)) {
    const oldest = kept.at(-1)?.id === history.currentId ? kept.length - 2 : kept.length - 1;
    if (oldest < 0) break;
    size -= textSize(kept[oldest]!);
    kept.splice(oldest, 1);
  }
  return { currentId: history.currentId, conversations: kept };
}

/** The history with `conversation` written (added or replaced) and shown, capped. */
export function withConversation(history: ChatHistory, conversation: Conversation): ChatHistory {
  const others = history.conversations.filter((c) => c.id !== conversation.id);
  return capped({ currentId: conversation.id, conversations: [conversation, ...others] });
}

/** The history showing stored conversation `conversationId`; unchanged when there is none. */
export function resumed(history: ChatHistory, conversationId: string): ChatHistory {
  return conversationById(history, conversationId)
    ? capped({ ...history, currentId: conversationId })
    : history;
}

/**
 * The history without conversation `conversationId`. Deleting the one shown shows the newest
 * other one, or a new conversation `newId()` when none is left.
 */
export function withoutConversation(
  history: ChatHistory,
  conversationId: string,
  newId: () => string,
): ChatHistory {
  const conversations = history.conversations.filter((c) => c.id !== conversationId);
  if (history.currentId !== conversationId) return { ...history, conversations };
  const next = newestFirst(conversations).find((c) => c.turns.length > 0);
  if (next) return { currentId: next.id, conversations };
  const fresh = emptyConversation(newId());
  return { currentId: fresh.id, conversations: [fresh, ...conversations] };
}

/** The history list: conversations with at least one question, and the current one, newest first. */
export function summaries(history: ChatHistory, t: Localize = ENGLISH): ConversationSummary[] {
  return newestFirst(history.conversations)
    .filter((c) => c.turns.length > 0 || c.id === history.currentId)
    .map((c) => ({
      id: c.id,
      title: titleOf(c, t),
      lastActivityMs: lastActivityMs(c),
      questions: c.turns.filter((turn) => turn.role === 'user').length,
      isCurrent: c.id === history.currentId,
    }));
}
