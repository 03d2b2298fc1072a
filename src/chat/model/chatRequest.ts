/**
 * The Messages request built from a conversation (with prompt-cache breakpoints) and the
 * continue-from-partial request, with their input-token estimates. Pure: times are passed in.
 */
import {
  CHAT_CHARS_PER_TOKEN,
  type ChatTurn,
  type ContextAttachment,
  type Conversation,
} from './chatConversation';
import type { ComposerBudget, ContextKind } from './chatProtocol';
import {
  cacheReadsCountFor,
  estimateByCharacters,
  modelClassOf,
  type MessageParam,
  type PoolSnapshot,
  type MessageRequest,
  type TextBlock,
} from '../../pacer/index';
import { TIER_PRESETS, type PacerSettings } from '../../settings/model/settings';

/** How long a prompt-cache entry is assumed to live after the last request that used it (API: 5 min). */
export const CACHE_WARM_MS = 4.5 * 60_000;

/** What "Continue" sends after a partial answer. */
export const CONTINUE_PROMPT = 'Continue exactly where you stopped, without repeating anything.';

/** The chat's system prompt. */
export const CHAT_SYSTEM_PROMPT =
  'You are Claude, a coding assistant inside the VS Code editor. Answer in GitHub-flavoured Markdown. ' +
  'Put code in fenced blocks with a language tag; when you propose a change to code the user attached, ' +
  'give the complete replacement for that code in one block so it can be applied as a diff.';

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

/** How each kind of context is introduced to Claude. */
const CONTEXT_HEADINGS: Readonly<Record<ContextKind, string>> = {
  selection: 'Selected code',
  file: 'File',
  problems: 'Problems the editor reports in',
};

/** The text a user turn sends: its context as fenced blocks, then the prompt. */
export function userTurnText(turn: Pick<ChatTurn, 'text' | 'context'>): string {
  const parts = (turn.context ?? []).map((c) => {
    const fence = longestFence(c.text);
    const what = CONTEXT_HEADINGS[c.kind];
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

/** The request-builder options from the settings in force at `nowMs`. */
export function chatRequestOptions(
  settings: Pick<PacerSettings, 'model' | 'maxOutputTokens'>,
  nowMs: number,
): ChatRequestOptions {
  return {
    model: settings.model,
    maxTokens: settings.maxOutputTokens,
    nowMs,
    cacheReadsCount: cacheReadsCountFor(modelClassOf(settings.model)),
  };
}

/**
 * The input-token limit per minute of `model`, when known: the largest learned for its model class,
 * else the configured limit, else the tier preset (undefined while still learning).
 */
export function inputLimitFor(
  model: string,
  pools: readonly PoolSnapshot[],
  settings: Pick<PacerSettings, 'limits.inputTokensPerMinute' | 'limits.tier'>,
): number | undefined {
  const modelClass = modelClassOf(model);
  const learned = pools
    .filter((p) => p.modelClass === modelClass)
    .map((p) => p.dimensions.inputTokens.limit)
    .filter((limit): limit is number => limit !== undefined && limit > 0);
  if (learned.length > 0) return Math.max(...learned);
  if (settings['limits.inputTokensPerMinute'] !== null) return settings['limits.inputTokensPerMinute'];
  const tier = settings['limits.tier'];
  return tier === 'learn' ? undefined : TIER_PRESETS[tier].inputTokens;
}

/** What the composer needs to estimate a draft's input tokens: everything but the draft, and the limit. */
export function composerBudget(
  conversation: Conversation,
  attachments: readonly ContextAttachment[],
  options: ChatRequestOptions,
  limitTokens: number | undefined,
): ComposerBudget {
  return {
    baseTokens: estimateBaseTokens(conversation, attachments, options),
    charsPerToken: CHAT_CHARS_PER_TOKEN,
    model: options.model,
    ...(limitTokens !== undefined ? { limitTokens } : {}),
  };
}
