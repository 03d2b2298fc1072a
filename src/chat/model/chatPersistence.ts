/**
 * The versioned shape a conversation is persisted in per workspace: cut to size on the way out,
 * validated on the way in (workspace state is data from disk, possibly from another version).
 */
import { CHAT_MESSAGE_STATUSES, type ChatMessageStatus } from './chatProtocol';
import type { ChatTurn, ContextAttachment, Conversation } from './chatConversation';

/** Version of the persisted shape; a record of another version is discarded. */
export const CHAT_STATE_VERSION = 1;

/** Persisted conversations are cut (oldest turns first) above this many characters of text. */
export const MAX_PERSISTED_CHARS = 2_000_000;

/** The persisted record. */
export interface PersistedChat {
  readonly version: typeof CHAT_STATE_VERSION;
  readonly conversation: Conversation;
}

/** The record to persist: oldest turns are dropped above {@link MAX_PERSISTED_CHARS}. */
export function toPersisted(conversation: Conversation): PersistedChat {
  let size = 0;
  let keepFrom = conversation.turns.length;
  for (let i = conversation.turns.length - 1; i >= 0; i--) {
    const t = conversation.turns[i]!;
    size += t.text.length + (t.context ?? []).reduce((n, c) => n + c.text.length, 0);
    if (size > MAX_PERSISTED_CHARS) break;
    keepFrom = i;
  }
  // Start on a user turn so the history stays well-formed.
  while (keepFrom < conversation.turns.length && conversation.turns[keepFrom]?.role !== 'user') keepFrom++;
  const turns = keepFrom === 0 ? conversation.turns : conversation.turns.slice(keepFrom);
  return { version: CHAT_STATE_VERSION, conversation: { ...conversation, turns } };
}

type Fields = Readonly<Record<string, unknown>>;

function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function own(m: Fields, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

function parseAttachment(value: unknown): ContextAttachment | undefined {
  const m = fields(value);
  if (!m) return undefined;
  const kind = own(m, 'kind');
  const label = own(m, 'label');
  const text = own(m, 'text');
  const language = own(m, 'language');
  if ((kind !== 'selection' && kind !== 'file') || typeof label !== 'string' || typeof text !== 'string')
    return undefined;
  if (typeof language !== 'string' || !/^[A-Za-z0-9_.+-]{0,64}$/.test(language)) return undefined;
  return { kind, label, text, language };
}

function parseTurn(value: unknown): ChatTurn | undefined {
  const m = fields(value);
  if (!m) return undefined;
  const turnId = own(m, 'id');
  const role = own(m, 'role');
  const text = own(m, 'text');
  const status = own(m, 'status');
  const createdAtMs = own(m, 'createdAtMs');
  if (!isId(turnId) || (role !== 'user' && role !== 'assistant') || typeof text !== 'string')
    return undefined;
  if (typeof status !== 'string' || !(CHAT_MESSAGE_STATUSES as readonly string[]).includes(status))
    return undefined;
  if (typeof createdAtMs !== 'number' || !Number.isFinite(createdAtMs)) return undefined;
  const rawContext = own(m, 'context');
  let context: ContextAttachment[] | undefined;
  if (rawContext !== undefined) {
    if (!Array.isArray(rawContext) || rawContext.length > 8) return undefined;
    context = [];
    for (const c of rawContext as unknown[]) {
      const parsed = parseAttachment(c);
      if (!parsed) return undefined;
      context.push(parsed);
    }
  }
  const note = own(m, 'note');
  const model = own(m, 'model');
  if (note !== undefined && typeof note !== 'string') return undefined;
  if (model !== undefined && typeof model !== 'string') return undefined;
  return {
    id: turnId,
    role,
    text,
    status: status as ChatMessageStatus,
    createdAtMs,
    ...(context ? { context } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(model !== undefined ? { model } : {}),
  };
}

/**
 * Validates a persisted record (workspace state is data from disk, possibly from another
 * version): the conversation, or undefined when anything is off.
 */
export function parsePersistedChat(value: unknown): Conversation | undefined {
  const m = fields(value);
  if (!m || own(m, 'version') !== CHAT_STATE_VERSION) return undefined;
  const c = fields(own(m, 'conversation'));
  if (!c) return undefined;
  const conversationId = own(c, 'id');
  const rawTurns = own(c, 'turns');
  if (!isId(conversationId) || !Array.isArray(rawTurns)) return undefined;
  const turns: ChatTurn[] = [];
  const seen = new Set<string>();
  for (const raw of rawTurns as unknown[]) {
    const turn = parseTurn(raw);
    if (!turn || seen.has(turn.id)) return undefined;
    seen.add(turn.id);
    turns.push(turn);
  }
  const last = fields(own(c, 'lastCompleted'));
  const atMs = last ? own(last, 'atMs') : undefined;
  const model = last ? own(last, 'model') : undefined;
  const lastCompleted =
    typeof atMs === 'number' && Number.isFinite(atMs) && typeof model === 'string'
      ? { atMs, model }
      : undefined;
  return { id: conversationId, turns, ...(lastCompleted ? { lastCompleted } : {}) };
}
