import { CURSOR_MARK, type CursorContext } from './fimPrompt';

const OPENERS = '([{';
const CLOSERS = ')]}';

/** True when the first line of `suffix` holds more than whitespace: the cursor is mid-line. */
export function isMidLine(suffix: string): boolean {
  const end = suffix.indexOf('\n');
  return (end < 0 ? suffix : suffix.slice(0, end)).trim() !== '';
}

/** The content of the first fenced block (a cut-off block counts), else the text without stray fence lines. */
function stripFences(text: string): string {
  const block = /(?:^|\n)```[^\n`]*\n([\s\S]*?)(?:\n```|$)/.exec(text);
  if (block) return block[1] ?? '';
  return text.replace(/(?:^|\n)```[^\n]*(?=\n|$)/g, '');
}

/** The text up to the first closing bracket that closes nothing the text itself opened. */
export function cutAtUnbalancedCloser(text: string): string {
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (OPENERS.includes(ch)) open.push(ch);
    else if (CLOSERS.includes(ch)) {
      if (open.pop() !== OPENERS[CLOSERS.indexOf(ch)]) return text.slice(0, i);
    }
  }
  return text;
}

/** Whether `text` is closing brackets (and whitespace) only, with at least one bracket. */
export function isClosersOnly(text: string): boolean {
  return text.trim() !== '' && [...text].every((ch) => CLOSERS.includes(ch) || /\s/.test(ch));
}

/** Length of the longest non-empty start of `suffix` that `text` ends with, 0 if none. */
export function suffixOverlap(text: string, suffix: string): number {
  for (let k = Math.min(text.length, suffix.length); k > 0; k--)
    if (text.endsWith(suffix.slice(0, k))) return k;
  return 0;
}

/**
 * The part of a model's reply that fits the cursor: fences and cursor marks removed, one line when
 * the cursor is mid-line, cut at a closing bracket it did not open, and without a tail that repeats
 * the start of the suffix. An overlap of closing brackets only is kept: the reply's own balanced
 * brackets are more likely its own than the suffix's.
 */
export function trimCompletion(reply: string, context: CursorContext): string {
  let text = stripFences(reply.replace(/\r\n/g, '\n')).split(CURSOR_MARK).join('');
  if (isMidLine(context.suffix)) text = text.split('\n', 1)[0] ?? '';
  text = cutAtUnbalancedCloser(text).trimEnd();
  for (;;) {
    const k = suffixOverlap(text, context.suffix);
    if (k === 0 || isClosersOnly(context.suffix.slice(0, k))) return text;
    text = text.slice(0, text.length - k).trimEnd();
  }
}
