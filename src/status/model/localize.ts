/**
 * Pure models cannot import `vscode`, so the editor layer hands them `vscode.l10n.t` as a
 * `Localize`; tests and the chat page use `ENGLISH`. Model strings are passed through `t(...)`
 * with a literal first argument, so `@vscode/l10n-dev` can extract them like `l10n.t('…')` calls.
 */

/** Translates a message, substituting `{0}`, `{1}`, … with the positional args (as `vscode.l10n.t`). */
export type Localize = (message: string, ...args: Array<string | number>) => string;

/** The untranslated `Localize`: `{n}` becomes `args[n]`; a placeholder without an arg stays as written. */
export const ENGLISH: Localize = (message, ...args) =>
  args.length === 0
    ? message
    : message.replace(/\{(\d+)\}/g, (match, index: string) => {
        const arg = args[Number(index)];
        return arg === undefined ? match : String(arg);
      });
