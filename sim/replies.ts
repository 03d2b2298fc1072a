import type { ReplyConfig } from './config';
import { editedCode } from './editReply';
import { fenced } from './markdownFence';
import { mulberry32, seedFrom, type Prng } from './random';
import type { ReplyRequest } from './replyRequest';
import { shapedAnswer } from './shapedReply';

/** Characters per output token in generated text. */
export const CHARS_PER_OUTPUT_TOKEN = 4;

/** One content block of a reply; it is generated from the next `tokenCount` pieces of the plan's tokens. */
export type PlannedBlock =
  | { readonly type: 'text'; readonly tokenCount: number }
  | {
      readonly type: 'tool_use';
      readonly id: string;
      readonly name: string;
      readonly input: unknown;
      readonly tokenCount: number;
    };

/**
 * A generated reply: one piece per output token (text, or a slice of a tool call's input JSON),
 * split into content blocks in order; every block holds at least one token.
 */
export interface ReplyPlan {
  readonly tokens: readonly string[];
  readonly stopReason: 'end_turn' | 'max_tokens' | 'tool_use';
  readonly blocks: readonly PlannedBlock[];
}

const words = [
  'the',
  'bucket',
  'refills',
  'steadily',
  'while',
  'requests',
  'wait',
  'their',
  'turn',
  'and',
  'tokens',
  'flow',
  'through',
  'a',
  'quiet',
  'channel',
  'toward',
  'an',
  'editor',
  'where',
  'answers',
  'appear',
  'line',
  'by',
  'pacing',
  'keeps',
  'limits',
  'happy',
  'so',
  'nothing',
  'breaks',
  'under',
  'load',
  'today',
];

function wordText(random: Prng, chars: number): string {
  let text = '';
  while (text.length < chars) {
    const word = words[Math.floor(random() * words.length)]!;
    text += text === '' ? word[0]!.toUpperCase() + word.slice(1) : ` ${word}`;
  }
  return text;
}

/** Cuts `text` into output tokens of exactly 4 characters (the last one padded with spaces). */
export function textTokens(text: string): string[] {
  const count = Math.ceil(text.length / CHARS_PER_OUTPUT_TOKEN);
  // Trailing spaces make the last token whole, so output tokens always count 4 characters each.
  const whole = text.padEnd(count * CHARS_PER_OUTPUT_TOKEN, ' ');
  const tokens: string[] = [];
  for (let i = 0; i < count; i++)
    tokens.push(whole.slice(i * CHARS_PER_OUTPUT_TOKEN, (i + 1) * CHARS_PER_OUTPUT_TOKEN));
  return tokens;
}

/** Cuts a tool call's input JSON into output tokens of 4 characters (the last one may be shorter). */
export function inputTokens(input: unknown): string[] {
  const json = JSON.stringify(input);
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += CHARS_PER_OUTPUT_TOKEN)
    pieces.push(json.slice(i, i + CHARS_PER_OUTPUT_TOKEN));
  return pieces;
}

/** A block to plan: its content and all the tokens generating it would take. */
export type BlockDraft =
  | { readonly type: 'text'; readonly tokens: readonly string[] }
  | {
      readonly type: 'tool_use';
      readonly id: string;
      readonly name: string;
      readonly input: unknown;
      readonly tokens: readonly string[];
    };

/**
 * Lays blocks out as one reply of at most `maxTokens` tokens: a block cut short keeps what was
 * generated (a cut tool call keeps its whole input, as the single-tool reply always did), blocks
 * past the cut are left out, and the reply then ends with stop_reason max_tokens.
 */
export function planBlocks(drafts: readonly BlockDraft[], maxTokens: number): ReplyPlan {
  const tokens: string[] = [];
  const blocks: PlannedBlock[] = [];
  let isCut = false;
  for (const { tokens: own, ...block } of drafts) {
    const room = maxTokens - tokens.length;
    if (room <= 0 || own.length === 0) {
      isCut ||= own.length > 0;
      continue;
    }
    const kept = own.slice(0, room);
    isCut ||= kept.length < own.length;
    tokens.push(...kept);
    blocks.push({ ...block, tokenCount: kept.length });
  }
  const stopReason = isCut
    ? 'max_tokens'
    : blocks.some((b) => b.type === 'tool_use')
      ? 'tool_use'
      : 'end_turn';
  return { tokens, stopReason, blocks };
}

function tokenize(text: string, maxTokens: number): ReplyPlan {
  return planBlocks([{ type: 'text', tokens: textTokens(text) }], maxTokens);
}

/**
 * A deterministic reply for a request. An edit command (Fix, Refactor, Add Documentation, Write
 * Tests) gets its code back, visibly changed, in one fenced block, as long as that takes. Anything
 * else gets `reply.style` text whose length the config seed and the body's hash pick in
 * [minOutputTokens, maxOutputTokens]: a seeded word stream (`words`) or a Markdown answer
 * (`shaped`). A reply longer than max_tokens is cut (stop_reason max_tokens).
 */
export function planReply(
  seed: number,
  bodyHash: string,
  reply: ReplyConfig,
  maxTokens: number,
  request: ReplyRequest = { kind: 'question', text: '' },
): ReplyPlan {
  if (request.kind === 'edit') {
    const code = editedCode(request.task, request.code, request.instruction);
    return tokenize(fenced(code, request.code.languageId), maxTokens);
  }
  const random = mulberry32(seedFrom(seed, bodyHash));
  const wanted =
    reply.minOutputTokens + Math.floor(random() * (reply.maxOutputTokens - reply.minOutputTokens + 1));
  const chars = wanted * CHARS_PER_OUTPUT_TOKEN;
  if (reply.style === 'words') return tokenize(wordText(random, chars).slice(0, chars), maxTokens);
  const subject = request.kind === 'explain' ? { code: request.code } : { question: request.text };
  return tokenize(shapedAnswer(random, subject, chars), maxTokens);
}
