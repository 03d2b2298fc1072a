import type { ReplyConfig } from './config';
import { editedCode } from './editReply';
import { fenced } from './markdownFence';
import { mulberry32, seedFrom, type Prng } from './random';
import type { ReplyRequest } from './replyRequest';
import { shapedAnswer } from './shapedReply';

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

function wordText(random: Prng, chars: number): string {
  let text = '';
  while (text.length < chars) {
    const word = words[Math.floor(random() * words.length)]!;
    text += text === '' ? word[0]!.toUpperCase() + word.slice(1) : ` ${word}`;
  }
  return text;
}

/** Cuts `text` into output tokens of exactly 4 characters; at most `maxTokens` of them (stop_reason max_tokens when cut). */
function tokenize(text: string, maxTokens: number): ReplyPlan {
  const count = Math.ceil(text.length / CHARS_PER_OUTPUT_TOKEN);
  // Trailing spaces make the last token whole, so output tokens always count 4 characters each.
  const whole = text.padEnd(count * CHARS_PER_OUTPUT_TOKEN, ' ');
  const tokens: string[] = [];
  for (let i = 0; i < Math.min(count, maxTokens); i++)
    tokens.push(whole.slice(i * CHARS_PER_OUTPUT_TOKEN, (i + 1) * CHARS_PER_OUTPUT_TOKEN));
  return { tokens, stopReason: count > maxTokens ? 'max_tokens' : 'end_turn' };
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
