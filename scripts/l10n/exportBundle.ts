/**
 * `npm run l10n`'s bundle: `@vscode/l10n-dev`'s export of every `vscode.l10n.t` message in src/,
 * then every message the pure models pass to a `Localize` (./localizeMessages.ts), in VS Code's
 * bundle format (key = message, value = message; `{ message, comment }` where l10n-dev found a comment).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { getL10nJson, type l10nJsonFormat } from '@vscode/l10n-dev';
import { localizeMessages } from './localizeMessages';

/** The bundle for the `.ts` files under `srcDir`, and the `Localize` calls whose message is not a literal. */
export interface ExportedBundle {
  readonly bundle: l10nJsonFormat;
  readonly problems: readonly string[];
}

function typeScriptFiles(srcDir: string): string[] {
  return readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Exports the bundle for the sources under `srcDir` (default: this repository's src/). */
export async function exportBundle(srcDir = resolve(__dirname, '..', '..', 'src')): Promise<ExportedBundle> {
  const files = typeScriptFiles(resolve(srcDir));
  const editorMessages = await getL10nJson(
    files.map((file) => ({ contents: readFileSync(file, 'utf8'), extension: extname(file) })),
  );
  const models = localizeMessages(files, resolve(srcDir, '..'));
  const bundle: l10nJsonFormat = { ...editorMessages };
  for (const message of models.messages) bundle[message] ??= message;
  return { bundle, problems: models.problems };
}
