/**
 * Pure models cannot import `vscode`, so the editor layer hands them `vscode.l10n.t` as a
 * `Localize`; tests use `ENGLISH`, the chat page `pageLocalize` (src/chat/model/pageStrings.ts).
 * Model strings are passed through `t(...)` with a literal first argument. `@vscode/l10n-dev`
 * does not find these (it reads only `vscode.l10n.t` in files importing `vscode`), so they are not
 * in l10n/bundle.l10n.json unless an editor-layer file also passes the same literal to
 * `vscode.l10n.t` (docs/architecture.md, Translations).
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
