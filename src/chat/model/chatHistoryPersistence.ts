/**
 * The persisted shape of the chat history per workspace, and the migration from the single
 * conversation stored before there was a history. Workspace state is data from disk, possibly
 * from another version: validated on the way in, one bad conversation dropped rather than all.
 */
import { restoreAfterReload, type Conversation } from './chatConversation';
import { capped, currentOf, historyOf, type ChatHistory } from './chatHistory';
import { parsePersistedChat, toPersisted, type PersistedChat } from './chatPersistence';
import { id, record } from './protocolFields';
import { ENGLISH, type Localize } from '../../status/model/localize';

/** Version of the persisted history; a record of another version is not read. */
export const CHAT_HISTORY_VERSION = 1;

/** The persisted record: each conversation in the single-conversation shape (cut to size). */
export interface PersistedChatHistory {
  readonly version: typeof CHAT_HISTORY_VERSION;
  readonly currentId: string;
  readonly conversations: readonly PersistedChat[];
}

/** The record to persist (each conversation cut to its persisted size limit). */
export function toPersistedHistory(history: ChatHistory): PersistedChatHistory {
  return {
    version: CHAT_HISTORY_VERSION,
    currentId: history.currentId,
    conversations: history.conversations.map(toPersisted),
  };
}

/** Validates a persisted history; undefined when the record itself is off (malformed conversations are skipped). */
export function parsePersistedHistory(value: unknown): ChatHistory | undefined {
  const m = record(value);
  if (!m || m['version'] !== CHAT_HISTORY_VERSION) return undefined;
  const currentId = id(m['currentId']);
  const raw = m['conversations'];
  if (currentId === undefined || !Array.isArray(raw)) return undefined;
  const conversations: Conversation[] = [];
  const seen = new Set<string>();
  for (const entry of raw as unknown[]) {
    const conversation = parsePersistedChat(entry);
    if (!conversation || seen.has(conversation.id)) continue;
    seen.add(conversation.id);
    conversations.push(conversation);
  }
  return capped({ currentId, conversations });
}

/**
 * The history a window starts with: the persisted history, else the single conversation stored
 * by earlier versions (migrated as the only entry), else one new conversation `newId()`. Answers
 * left queued or streaming by the last window are marked interrupted, offering Resume.
 */
export function loadHistory(
  stored: { readonly history: unknown; readonly legacyConversation: unknown },
  newId: () => string,
  t: Localize = ENGLISH,
): ChatHistory {
  const history = parsePersistedHistory(stored.history) ?? legacyHistory(stored.legacyConversation);
  if (!history) return historyOf({ id: newId(), turns: [] });
  const current = currentOf(history);
  return {
    currentId: current.id,
    conversations: history.conversations.map((c) => restoreAfterReload(c, t)),
  };
}

function legacyHistory(value: unknown): ChatHistory | undefined {
  const conversation = parsePersistedChat(value);
  return conversation ? historyOf(conversation) : undefined;
}
