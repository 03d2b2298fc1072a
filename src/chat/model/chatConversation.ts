/**
 * The chat conversation as data: turns, the Messages request built from them (with prompt-cache
 * breakpoints), the continue-from-partial request, and the versioned shape persisted per workspace.
 * Pure: ids and times are passed in.
 */
import {
  CHAT_MESSAGE_STATUSES,
  type ChatMessageStatus,
  type ChatMessageView,
  type ContextKind,
} from './chatProtocol';
import {
  estimateByCharacters,
  type MessageParam,
  type MessageRequest,
  type TextBlock,
} from '../../pacer/index';

/** Version of the persisted shape; a record of another version is discarded. */
export const CHAT_STATE_VERSION = 1;

/** Characters per token of the chat's estimates (the same rule as the scheduler's default estimator). */
export const CHAT_CHARS_PER_TOKEN = 4;

/** Persisted conversations are cut (oldest turns first) above this many characters of text. */
export const MAX_PERSISTED_CHARS = 2_000_000;

/** How long a prompt-cache entry is assumed to live after the last request that used it (API: 5 min). */
export const CACHE_WARM_MS = 4.5 * 60_000;

/** What "Continue" sends after a partial answer. */
export const CONTINUE_PROMPT = 'Continue exactly where you stopped, without repeating anything.';

/** The chat's system prompt. */
export const CHAT_SYSTEM_PROMPT =
  'You are Claude, a coding assistant inside the VS Code editor. Answer in GitHub-flavoured Markdown. ' +
  'Put code in fenced blocks with a language tag; when you propose a change to code the user attached, ' +
  'give the complete replacement for that code in one block so it can be applied as a diff.';

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
}

/** The persisted record. */
export interface PersistedChat {
  readonly version: typeof CHAT_STATE_VERSION;
  readonly conversation: Conversation;
}

/** A request for the scheduler plus its input-token estimates. */
export interface ChatRequestPlan {
  readonly request: MessageRequest;
  /** Estimated input tokens of the whole request. */
  readonly inputTokens: number;
  /**
   * Estimated input tokens that count toward the per-minute limit: the whole request minus the
   * prefix the previous request cached, when that cache is still warm (cache reads do not count
   * for most models).
   */
  readonly countedInputTokens: number;
}

/** Options of the request builders. */
export interface ChatRequestOptions {
  readonly model: string;
  readonly maxTokens: number;
  readonly nowMs: number;
  /** @default CHAT_SYSTEM_PROMPT */
  readonly system?: string;
  /** Whether cache reads count toward the input limit for this model (e.g. Haiku 3.5). @default false */
  readonly cacheReadsCount?: boolean;
}

/** A new, empty conversation. */
export function emptyConversation(conversationId: string): Conversation {
  return { id: conversationId, turns: [] };
}

/** The text a user turn sends: its context as fenced blocks, then the prompt. */
export function userTurnText(turn: Pick<ChatTurn, 'text' | 'context'>): string {
  const parts = (turn.context ?? []).map((c) => {
    const fence = longestFence(c.text);
    const what = c.kind === 'selection' ? 'Selected code' : 'File';
    return `${what} \`${c.label}\`:\n${fence}${c.language}\n${c.text}\n${fence}`;
  });
  parts.push(turn.text);
  return parts.join('\n\n');
}

/** A backtick fence longer than any run of backticks in `text`. */
function longestFence(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Estimated tokens of a piece of text, as the chat counts them. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHAT_CHARS_PER_TOKEN);
}

/** Turns that go into the request history: user turns, and assistant turns with text. */
function historyMessages(turns: readonly ChatTurn[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const turn of turns) {
    const text = turn.role === 'user' ? userTurnText(turn) : turn.text;
    // The API rejects empty text blocks; an answer that failed before any text is left out.
    if (text.trim() === '') continue;
    out.push({ role: turn.role, content: [{ type: 'text', text }] });
  }
  return out;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

function withBreakpoint(message: MessageParam): MessageParam {
  const blocks =
    typeof message.content === 'string'
      ? [{ type: 'text' as const, text: message.content }]
      : message.content;
  const last = blocks.at(-1);
  if (!last) return message;
  return { role: message.role, content: [...blocks.slice(0, -1), { ...last, cache_control: EPHEMERAL }] };
}

/**
 * Builds a request from `messages` (which end with the new user message): the system prompt and the
 * end of the stable prefix (everything before the last user message) carry `cache_control`, and so
 * does the previous request's prefix end, so this request reads what the last one wrote. Always
 * block-form content, so a block hashes the same whether or not it carries a breakpoint.
 */
function planRequest(
  conversation: Conversation,
  messages: readonly MessageParam[],
  options: ChatRequestOptions,
): ChatRequestPlan {
  const system: TextBlock[] = [
    { type: 'text', text: options.system ?? CHAT_SYSTEM_PROMPT, cache_control: EPHEMERAL },
  ];
  const userStarts = messages.flatMap((m, i) =>
    m.role === 'user' && (i === 0 || messages[i - 1]?.role !== 'user') ? [i] : [],
  );
  const lastStart = userStarts.at(-1) ?? messages.length;
  const previousStart = userStarts.at(-2);
  const prefixEnd = lastStart - 1;
  const previousPrefixEnd = previousStart !== undefined ? previousStart - 1 : -1;
  const marked = messages.map((m, i) => (i === prefixEnd || i === previousPrefixEnd ? withBreakpoint(m) : m));
  const request: MessageRequest = {
    model: options.model,
    maxTokens: options.maxTokens,
    system,
    messages: marked,
  };
  const inputTokens = estimateByCharacters(request);
  const last = conversation.lastCompleted;
  const isWarm =
    !options.cacheReadsCount &&
    last !== undefined &&
    last.model === options.model &&
    options.nowMs - last.atMs >= 0 &&
    options.nowMs - last.atMs < CACHE_WARM_MS;
  // What the previous request wrote: the system prompt and the messages through its prefix end.
  const readable = isWarm
    ? estimateByCharacters({ ...request, messages: messages.slice(0, Math.max(0, previousPrefixEnd + 1)) })
    : 0;
  const countedInputTokens = Math.max(1, inputTokens - readable);
  return { request, inputTokens, countedInputTokens };
}

/** The request that answers the user turn just before assistant turn `assistantIndex`. */
export function buildAnswerRequest(
  conversation: Conversation,
  assistantIndex: number,
  options: ChatRequestOptions,
): ChatRequestPlan {
  const messages = historyMessages(conversation.turns.slice(0, Math.max(0, assistantIndex)));
  return planRequest(conversation, messages, options);
}

/**
 * The request that asks Claude to carry on from the partial text of assistant turn
 * `assistantIndex`: the history, the partial answer, then {@link CONTINUE_PROMPT}.
 */
export function buildContinueRequest(
  conversation: Conversation,
  assistantIndex: number,
  options: ChatRequestOptions,
): ChatRequestPlan {
  const turn = conversation.turns[assistantIndex];
  const messages = historyMessages(conversation.turns.slice(0, Math.max(0, assistantIndex)));
  if (turn && turn.text.trim() !== '') {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: turn.text }] });
    messages.push({ role: 'user', content: [{ type: 'text', text: CONTINUE_PROMPT }] });
  }
  return planRequest(conversation, messages, options);
}

/** Input tokens a new message would add to, and count with, the current conversation (without its text). */
export function estimateBaseTokens(
  conversation: Conversation,
  context: readonly ContextAttachment[],
  options: ChatRequestOptions,
): number {
  const probe: ChatTurn = {
    id: 'probe',
    role: 'user',
    text: '',
    status: 'complete',
    createdAtMs: 0,
    context,
  };
  const turns = [...conversation.turns, probe];
  const plan = buildAnswerRequest({ ...conversation, turns }, turns.length, options);
  return plan.countedInputTokens;
}

/** Replaces the turn with id `turnId`. */
export function updateTurn(
  conversation: Conversation,
  turnId: string,
  change: (turn: ChatTurn) => ChatTurn,
): Conversation {
  return { ...conversation, turns: conversation.turns.map((t) => (t.id === turnId ? change(t) : t)) };
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
export function restoreAfterReload(conversation: Conversation): Conversation {
  return {
    ...conversation,
    turns: conversation.turns.map((t) =>
      t.role === 'assistant' && (t.status === 'pending' || t.status === 'streaming')
        ? {
            ...t,
            status: 'interrupted',
            note:
              t.status === 'pending'
                ? 'Was waiting to be sent when the window reloaded.'
                : 'Interrupted by a window reload.',
          }
        : t,
    ),
  };
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
