/** What an edit command's reply proposes: code to diff, or why there is none. */
export type EditProposal =
  | { readonly kind: 'code'; readonly code: string }
  /** The reply holds no fenced code block: it is an answer, not an edit. */
  | { readonly kind: 'none' }
  /** A fenced block opened and never closed (the reply was cut off): its code is not complete. */
  | { readonly kind: 'truncated'; readonly stopReason: string | null };

/** A CommonMark opening code fence: up to 3 spaces, 3 or more backticks or tildes, an info string. */
export const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * The code of the first fenced block of an edit command's reply, by CommonMark's rules: a closing
 * fence uses the opening's character, at least as many, and nothing after it; a block's lines lose
 * as many leading spaces (at most) as its opening fence had. Whatever the server sent, a reply with
 * no block proposes nothing, and a block that never closes is `truncated`.
 *
 * Written by hand rather than with markdown-it (a dependency of the chat page): markdown-it closes an
 * unclosed fence at the end of the document and does not say so, which is the one thing asked here.
 */
export function extractProposal(reply: string, stopReason: string | null): EditProposal {
  const lines = reply.split(/\r?\n/);
  for (let open = 0; open < lines.length; open++) {
    const opening = OPENING_FENCE.exec(lines[open]!);
    // A backtick fence's info string has no backtick (else it is inline code, not a fence).
    if (!opening || (opening[2]!.startsWith('`') && opening[3]!.includes('`'))) continue;
    const indent = opening[1]!.length;
    const fence = opening[2]!;
    for (let close = open + 1; close < lines.length; close++) {
      const closing = CLOSING_FENCE.exec(lines[close]!)?.[1];
      if (closing !== undefined && closing[0] === fence[0] && closing.length >= fence.length) {
        const code = lines.slice(open + 1, close).map((line) => withoutIndent(line, indent));
        return { kind: 'code', code: code.join('\n') };
      }
    }
    return { kind: 'truncated', stopReason };
  }
  return { kind: 'none' };
}

function withoutIndent(line: string, spaces: number): string {
  let cut = 0;
  while (cut < spaces && line[cut] === ' ') cut++;
  return line.slice(cut);
}
