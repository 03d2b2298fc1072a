import { fenced } from './markdownFence';
import type { Prng } from './random';
import type { SelectedCode } from './replyRequest';

const SENTENCES = [
  'A token bucket holds up to a fixed number of tokens and refills at a steady rate.',
  'Each request takes what it needs from the bucket, or waits until enough has refilled.',
  'Pacing requests this way keeps a client under its limit instead of running into 429 errors.',
  'The response headers tell the client how much of each limit is left and when it resets.',
  'Small functions with one job are easier to test and easier to change later.',
  'A test that checks the edge cases (empty input, one element, the last index) catches most off-by-one bugs.',
  'Naming a value after what it means, with its unit, saves a reader from guessing.',
  'When two clients share one budget, each sees the other only through slower refills.',
  'Retrying at once after a rate-limit error only makes the next error arrive sooner.',
  'Honouring the retry-after header is cheaper than guessing a delay.',
  'Documenting why a line exists helps more than documenting what it does.',
  'Deterministic code is easier to debug, because the same input always gives the same output.',
];

const LIST_ITEMS = [
  'Measure before you change anything.',
  'Keep the limits in one place.',
  'Prefer waiting a little to failing loudly.',
  'Test the boundaries, not just the middle.',
  'Log what happened, never the secrets.',
  'Let the caller cancel a long wait.',
];

const SNIPPETS: ReadonlyArray<readonly [string, string]> = [
  [
    'typescript',
    [
      'function take(bucket: { level: number }, cost: number): boolean {',
      '  if (bucket.level < cost) return false;',
      '  bucket.level -= cost;',
      '  return true;',
      '}',
    ].join('\n'),
  ],
  [
    'python',
    [
      'def refill(level: float, rate: float, seconds: float, capacity: float) -> float:',
      '    return min(capacity, level + rate * seconds)',
    ].join('\n'),
  ],
  [
    'typescript',
    [
      'async function withRetry<T>(run: () => Promise<T>, delaysMs: number[]): Promise<T> {',
      '  for (const delayMs of delaysMs) {',
      '    try { return await run(); } catch { await new Promise((r) => setTimeout(r, delayMs)); }',
      '  }',
      '  return run();',
      '}',
    ].join('\n'),
  ],
];

/** What a shaped answer is about: a question's text, or the code Explain sent. */
export type AnswerSubject = { readonly question: string } | { readonly code: SelectedCode };

function pick<T>(random: Prng, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function heading(subject: AnswerSubject): string {
  if ('code' in subject) return `## What this code in ${subject.code.fileName} does\n\n`;
  const words = subject.question
    .replace(/[^\w\s'-]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8);
  return words.length > 0 ? `## ${words.join(' ')}\n\n` : '## Answer\n\n';
}

function codeBlock(random: Prng, subject: AnswerSubject): string {
  const [languageId, code] =
    'code' in subject
      ? [subject.code.languageId, subject.code.text.split('\n').slice(0, 6).join('\n')]
      : pick(random, SNIPPETS);
  return `${fenced(code, languageId)}\n`;
}

function list(random: Prng): string {
  const start = Math.floor(random() * LIST_ITEMS.length);
  const items = [0, 1, 2].map((i) => `- ${LIST_ITEMS[(start + i) % LIST_ITEMS.length]!}`);
  return `${items.join('\n')}\n\n`;
}

/**
 * A Markdown answer of exactly `chars` characters: a heading, prose, a list and a fenced code block
 * when they fit (the code block first), more prose to fill, then spaces.
 * Deterministic for a given `random` sequence.
 */
export function shapedAnswer(random: Prng, subject: AnswerSubject, chars: number): string {
  let sentence = Math.floor(random() * SENTENCES.length);
  const nextSentence = (): string => SENTENCES[sentence++ % SENTENCES.length]!;
  const head = heading(subject);
  const opening = `${nextSentence()}\n\n`;
  if (head.length + opening.length > chars) return (head + opening).slice(0, chars);
  // A code block and a list are whole or absent (half a fence is no real answer's shape); the code
  // block has the first claim on the room, the list comes before it in the text.
  const code = codeBlock(random, subject);
  const items = list(random);
  const base = head.length + opening.length;
  const hasCode = base + code.length <= chars;
  const hasList = base + items.length + (hasCode ? code.length : 0) <= chars;
  const text = head + opening + (hasList ? items : '') + (hasCode ? code : '');
  // Filler prose in paragraphs of three sentences; past the bank's end it starts over.
  let closing = '';
  for (let i = 0; i < 2 * SENTENCES.length; i++) {
    const separator = i === 0 ? '' : i % 3 === 0 ? '\n\n' : ' ';
    const next = `${separator}${nextSentence()}`;
    if (text.length + closing.length + next.length > chars) break;
    closing += next;
  }
  return (text + closing).padEnd(chars, ' ');
}
