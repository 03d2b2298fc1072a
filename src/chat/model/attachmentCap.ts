/**
 * The size cap on what the chat's picker attaches (files, open editors, a file's Problems): one
 * budget of characters for all of a message's picked attachments, so a few large files cannot
 * fill the model's context or a minute's input-token limit. Pure.
 */
import { ENGLISH, type Localize } from '../../status/model/localize';

/** Characters all picked attachments of one message may hold together (about 100,000 tokens). */
export const MAX_ATTACHED_CHARS = 400_000;
/** Most attachments picked for one message. */
export const MAX_PICKED_ATTACHMENTS = 10;

/** An attachment's text after the cap, and what was cut. */
export interface CappedText {
  readonly text: string;
  /** Characters the source had (equal to `text.length` when nothing was cut). */
  readonly originalChars: number;
  readonly isCut: boolean;
}

/**
 * `text` cut to the `remainingChars` left of the budget (at a line end when one is near, so the
 * model does not see half a line); undefined when nothing is left.
 */
export function capText(text: string, remainingChars: number): CappedText | undefined {
  if (remainingChars <= 0) return undefined;
  if (text.length <= remainingChars) return { text, originalChars: text.length, isCut: false };
  const hard = text.slice(0, remainingChars);
  const lineEnd = hard.lastIndexOf('\n');
  const cut = lineEnd >= remainingChars * 0.8 ? hard.slice(0, lineEnd + 1) : hard;
  return { text: cut, originalChars: text.length, isCut: true };
}

/** The sentence a chip and the notice line show for an attachment cut by the cap. */
export function cutNote(label: string, capped: CappedText, t: Localize = ENGLISH): string {
  return t(
    '{0} was cut to its first {1} of {2} characters: attachments share a cap of {3} characters per message.',
    label,
    capped.text.length.toLocaleString('en-US'),
    capped.originalChars.toLocaleString('en-US'),
    MAX_ATTACHED_CHARS.toLocaleString('en-US'),
  );
}

/** The sentence shown when an attachment is refused because the budget is spent or too many are attached. */
export function refusedNote(label: string, reason: 'full' | 'tooMany', t: Localize = ENGLISH): string {
  return reason === 'full'
    ? t(
        '{0} was not attached: the attachments already hold the cap of {1} characters per message. Remove one first.',
        label,
        MAX_ATTACHED_CHARS.toLocaleString('en-US'),
      )
    : t(
        '{0} was not attached: at most {1} attachments per message. Remove one first.',
        label,
        MAX_PICKED_ATTACHMENTS,
      );
}

/** The text of a file's Problems, one per line: `line 12 (error): message [source]`. */
export function problemsText(
  problems: ReadonlyArray<{
    readonly line: number;
    readonly severity: 'error' | 'warning' | 'info' | 'hint';
    readonly message: string;
    readonly source?: string;
  }>,
): string {
  return problems
    .map(
      (p) =>
        `line ${p.line} (${p.severity}): ${p.message.replace(/\s+/g, ' ').trim()}${p.source ? ` [${p.source}]` : ''}`,
    )
    .join('\n');
}
