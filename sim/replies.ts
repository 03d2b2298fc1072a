import type { ReplyConfig } from './config';
import { mulberry32, seedFrom } from './random';

/** Characters per output token in generated text. */
export const CHARS_PER_OUTPUT_TOKEN = 4;

/** A generated reply: one text piece per output token. */
export interface ReplyPlan {
  readonly tokens: readonly string[];
  readonly stopReason: 'end_turn' | 'max_tokens' | 'tool_use';
  /** When set, the reply is this one tool call and `tokens` are the pieces of its input JSON. */
  readonly toolUse?: { readonly id: string; readonly name: string; readonly input: unknown };
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

/**
 * A deterministic reply for a request: the config seed and the body's hash pick its length in
 * [minOutputTokens, maxOutputTokens] and its words; a length over max_tokens is cut (stop_reason max_tokens).
 */
export function planReply(seed: number, bodyHash: string, reply: ReplyConfig, maxTokens: number): ReplyPlan {
  const random = mulberry32(seedFrom(seed, bodyHash));
  const wanted =
    reply.minOutputTokens + Math.floor(random() * (reply.maxOutputTokens - reply.minOutputTokens + 1));
  const count = Math.min(wanted, maxTokens);
  let text = '';
  while (text.length < count * CHARS_PER_OUTPUT_TOKEN) {
    const word = words[Math.floor(random() * words.length)]!;
    text += text === '' ? word[0]!.toUpperCase() + word.slice(1) : ` ${word}`;
  }
  const tokens: string[] = [];
  for (let i = 0; i < count; i++)
    tokens.push(text.slice(i * CHARS_PER_OUTPUT_TOKEN, (i + 1) * CHARS_PER_OUTPUT_TOKEN));
  return { tokens, stopReason: wanted > maxTokens ? 'max_tokens' : 'end_turn' };
}
