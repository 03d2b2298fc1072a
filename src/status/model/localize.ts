/**
 * Pure models cannot import `vscode`, so the editor layer hands them `vscode.l10n.t` as a
 * `Localize`; tests use `ENGLISH`, the chat page `pageLocalize` (src/chat/model/pageStrings.ts).
 * Every call of a `Localize` passes a string literal as its message: `npm run l10n` finds these
 * calls by type and lists their messages in l10n/bundle.l10n.json, and refuses any other first
 * argument (docs/architecture.md, Translations).
 */

/** Translates a message, substituting `{0}`, `{1}`, … with the positional args (as `vscode.l10n.t`). */
export type Localize = (message: string, ...args: Array<string | number>) => string;

/**
 * `text` with `{n}` replaced by `args[n]`; a placeholder without an arg stays as written. Not a
 * `Localize`: it fills in text that is already translated (or a table's English), so its first
 * argument need not be a literal.
 */
export function fillPlaceholders(text: string, ...args: Array<string | number>): string {
  return args.length === 0
    ? text
    : text.replace(/\{(\d+)\}/g, (match, index: string) => {
        const arg = args[Number(index)];
        return arg === undefined ? match : String(arg);
      });
}

/** The untranslated `Localize`: the English message with its placeholders filled. */
export const ENGLISH: Localize = fillPlaceholders;
