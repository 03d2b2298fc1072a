/**
 * The versioned shape a conversation is persisted in per workspace: cut to size on the way out,
 * validated on the way in (workspace state is data from disk, possibly from another version).
 */
import {
  CHAT_MESSAGE_STATUSES,
  CONTEXT_KINDS,
  MAX_CONTEXT_PER_MESSAGE,
  type ChatMessageStatus,
  type ContextKind,
} from './chatProtocol';
import type { ChatTurn, ContextAttachment, Conversation } from './chatConversation';
import { id, record, str } from './protocolFields';

/** Longest model id kept from a stored conversation. */
const MAX_MODEL_CHARS = 200;

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

function parseAttachment(value: unknown): ContextAttachment | undefined {
  const m = record(value);
  if (!m) return undefined;
  const kind = m['kind'];
  const label = m['label'];
  const text = m['text'];
  const language = m['language'];
  if (!CONTEXT_KINDS.includes(kind as ContextKind) || typeof label !== 'string' || typeof text !== 'string')
    return undefined;
  if (typeof language !== 'string' || !/^[A-Za-z0-9_.+-]{0,64}$/.test(language)) return undefined;
  return { kind: kind as ContextKind, label, text, language };
}

function parseTurn(value: unknown): ChatTurn | undefined {
  const m = record(value);
  if (!m) return undefined;
  const turnId = id(m['id']);
  const role = m['role'];
  const text = m['text'];
  const status = m['status'];
  const createdAtMs = m['createdAtMs'];
  if (turnId === undefined || (role !== 'user' && role !== 'assistant') || typeof text !== 'string')
    return undefined;
  if (typeof status !== 'string' || !(CHAT_MESSAGE_STATUSES as readonly string[]).includes(status))
    return undefined;
  if (typeof createdAtMs !== 'number' || !Number.isFinite(createdAtMs)) return undefined;
  const rawContext = m['context'];
  let context: ContextAttachment[] | undefined;
  if (rawContext !== undefined) {
    if (!Array.isArray(rawContext) || rawContext.length > MAX_CONTEXT_PER_MESSAGE) return undefined;
    context = [];
    for (const c of rawContext as unknown[]) {
      const parsed = parseAttachment(c);
      if (!parsed) return undefined;
      context.push(parsed);
    }
  }
  const note = m['note'];
  const model = m['model'];
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
  const m = record(value);
  if (!m || m['version'] !== CHAT_STATE_VERSION) return undefined;
  const c = record(m['conversation']);
  if (!c) return undefined;
  const conversationId = id(c['id']);
  const rawTurns = c['turns'];
  if (conversationId === undefined || !Array.isArray(rawTurns)) return undefined;
  const turns: ChatTurn[] = [];
  const seen = new Set<string>();
  for (const raw of rawTurns as unknown[]) {
    const turn = parseTurn(raw);
    if (!turn || seen.has(turn.id)) return undefined;
    seen.add(turn.id);
    turns.push(turn);
  }
  const last = record(c['lastCompleted']);
  const atMs = last ? last['atMs'] : undefined;
  const model = last ? last['model'] : undefined;
  const lastCompleted =
    typeof atMs === 'number' && Number.isFinite(atMs) && typeof model === 'string'
      ? { atMs, model }
      : undefined;
  const chosenModel = str(c['model'], MAX_MODEL_CHARS, false);
  return {
    id: conversationId,
    turns,
    ...(lastCompleted ? { lastCompleted } : {}),
    ...(chosenModel !== undefined ? { model: chosenModel } : {}),
  };
}
