import type { MessageRequest } from '../../pacer/index';

/** The text around the cursor a completion is asked for, already bounded. */
export interface CursorContext {
  readonly prefix: string;
  readonly suffix: string;
}

/** What a fill-in-the-middle request is built from. */
export interface FimInput extends CursorContext {
  readonly fileName: string;
  readonly languageId: string;
  readonly model: string;
  readonly maxTokens: number;
}

/** Marks the cursor in the prompt; chosen so it never occurs in ordinary source text. */
export const CURSOR_MARK = '<|cursor|>';

const SYSTEM = [
  'You are a code completion engine inside an editor.',
  `The user sends a file with the cursor marked ${CURSOR_MARK}.`,
  'Reply with only the text to insert at the cursor: no explanation, no Markdown fences,',
  'no repetition of the text before or after the cursor. Keep it short: finish the current',
  'statement or line, a few lines at most. Reply with nothing if nothing fits.',
].join(' ');

/**
 * The text before and after `offset`, at most `maxPrefixChars` / `maxSuffixChars` characters; a cut
 * prefix starts, and a cut suffix ends, at a line boundary when one is inside the window.
 */
export function boundedContext(
  text: string,
  offset: number,
  maxPrefixChars: number,
  maxSuffixChars: number,
): CursorContext {
  const at = Math.max(0, Math.min(text.length, offset));
  let prefix = text.slice(Math.max(0, at - maxPrefixChars), at);
  if (at > maxPrefixChars) {
    const firstBreak = prefix.indexOf('\n');
    if (firstBreak >= 0 && firstBreak < prefix.length - 1) prefix = prefix.slice(firstBreak + 1);
  }
  let suffix = text.slice(at, at + maxSuffixChars);
  if (text.length - at > maxSuffixChars) {
    const lastBreak = suffix.lastIndexOf('\n');
    if (lastBreak > 0) suffix = suffix.slice(0, lastBreak + 1);
  }
  return { prefix, suffix };
}

/** The Messages request asking for the text that belongs at the cursor. */
export function buildFimRequest(input: FimInput): MessageRequest {
  const fileName = input.fileName.replace(/[\r\n]/g, ' ').slice(-200);
  const content = [
    `File: ${fileName}`,
    `Language: ${input.languageId}`,
    '',
    `${input.prefix}${CURSOR_MARK}${input.suffix}`,
  ].join('\n');
  return {
    model: input.model,
    maxTokens: input.maxTokens,
    system: SYSTEM,
    messages: [{ role: 'user', content }],
  };
}
