import { mulberry32, type Prng } from '../sim/random';
import { promptOf } from './workload';

/** One keystroke of the typist: when, and the document's text after it. */
export interface Keystroke {
  readonly atMs: number;
  readonly text: string;
  /** The pause in typing this keystroke ends with (0-based), when it is the last one before a pause. */
  readonly pauseIndex?: number;
}

/** One chat question on the interactive lane; the first comes half a period in. */
export interface ChatTurn {
  readonly id: number;
  readonly atMs: number;
  readonly prompt: string;
}

/** A seeded typing session: keystrokes, the pauses between bursts, and chat turns. */
export interface TypingSession {
  readonly keystrokes: readonly Keystroke[];
  readonly pauses: number;
  readonly chats: readonly ChatTurn[];
  readonly durationMs: number;
}

/** How the typist types. */
export interface TypistSpec {
  readonly seed: number;
  readonly durationMs: number;
  readonly keystrokeMs: number;
  /** Keystrokes between two pauses, uniform in [min, max]. */
  readonly burst: readonly [min: number, max: number];
  /** Pause length, uniform in [min, max] ms. */
  readonly pauseMs: readonly [min: number, max: number];
  readonly chatEveryMs: number;
  /** Chat prompt size, uniform in [min, max] input tokens. */
  readonly chatTokens: readonly [min: number, max: number];
  /** Characters of the file before the typist starts (the prefix a completion sends). */
  readonly fileChars: number;
}

/** The typist of the `typing` scenario: 50 s, 120 ms a key, bursts of 2-8 keys, pauses of 0.5-2 s, a chat turn every 10 s. */
export const TYPIST: TypistSpec = {
  seed: 20_261_207,
  durationMs: 50_000,
  keystrokeMs: 120,
  burst: [2, 8],
  pauseMs: [500, 2_000],
  chatEveryMs: 10_000,
  chatTokens: [1_000, 3_000],
  fileChars: 6_000,
};

const CODE_WORDS =
  'const bucket = pool.refill(lane, tokens); if (queue.length > limit) return wait; await scheduler.submit(request);'.split(
    ' ',
  );

function codeText(random: Prng, length: number): string {
  let text = '';
  while (text.length < length) {
    const words = 4 + Math.floor(random() * 8);
    const line = Array.from({ length: words }, () => CODE_WORDS[Math.floor(random() * CODE_WORDS.length)]!);
    text += `  ${line.join(' ')}\n`;
  }
  return text.slice(0, length);
}

const uniform = (random: Prng, [min, max]: readonly [number, number]): number => min + random() * (max - min);

/** The keystrokes and chat turns of a session, the same for every strategy. */
export function makeTypingSession(spec: TypistSpec): TypingSession {
  const random = mulberry32(spec.seed);
  const file = codeText(random, spec.fileChars);
  const typed = codeText(random, Math.ceil(spec.durationMs / spec.keystrokeMs) + 1);
  const keystrokes: Keystroke[] = [];
  let atMs = 0;
  let pauses = 0;
  while (atMs < spec.durationMs) {
    const burst = Math.round(uniform(random, spec.burst));
    for (let k = 0; k < burst && atMs + spec.keystrokeMs <= spec.durationMs; k++) {
      atMs += spec.keystrokeMs;
      const isLast = k === burst - 1 || atMs + spec.keystrokeMs > spec.durationMs;
      keystrokes.push({
        atMs,
        text: file + typed.slice(0, keystrokes.length + 1),
        ...(isLast ? { pauseIndex: pauses++ } : {}),
      });
    }
    atMs += uniform(random, spec.pauseMs);
  }
  const chats: ChatTurn[] = [];
  // Half a period in, so the first turn meets completions already running.
  for (let at = spec.chatEveryMs / 2; at < spec.durationMs; at += spec.chatEveryMs) {
    const id = chats.length + 1;
    chats.push({ id, atMs: at, prompt: promptOf(id, Math.round(uniform(random, spec.chatTokens)), file) });
  }
  return { keystrokes, pauses, chats, durationMs: spec.durationMs };
}
