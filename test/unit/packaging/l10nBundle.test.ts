import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';
import { ENGLISH_PAGE_STRINGS, PAGE_STRING_KEYS } from '../../../src/chat/model/pageStrings';

type Bundle = Record<string, unknown>;

/** What `npm run l10n` would write now: @vscode/l10n-dev's export of every `.ts` file under `src/`. */
async function exportedBundle(): Promise<Bundle> {
  const files = readdirSync('src', { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
  return getL10nJson(
    files.map((file) => ({ contents: readFileSync(file, 'utf8'), extension: extname(file) })),
  );
}

/** Messages the sources use that the bundle lacks (or holds with another text), and ones it holds that no source uses. */
function drift(bundle: Bundle, exported: Bundle): { missing: string[]; stale: string[] } {
  return {
    missing: Object.keys(exported).filter((key) => bundle[key] !== exported[key]),
    stale: Object.keys(bundle).filter((key) => !(key in exported)),
  };
}

describe('l10n/bundle.l10n.json', () => {
  const bundle = JSON.parse(readFileSync('l10n/bundle.l10n.json', 'utf8')) as Bundle;
  let exported: Bundle;
  before(async () => {
    exported = await exportedBundle();
  });

  it('is where package.json says VS Code finds it', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { l10n?: string; scripts: Bundle };
    assert.equal(manifest.l10n, './l10n');
    assert.match(String(manifest.scripts['l10n']), /vscode-l10n-dev export --outDir \.\/l10n \.\/src/);
  });

  it('names a vscode.l10n.t message that is missing, and one no source uses any more', async () => {
    const source = `import * as vscode from 'vscode';\nvscode.l10n.t('Kept {0}', x);\nvscode.l10n.t("New");`;
    const fromSource = await getL10nJson([{ contents: source, extension: '.ts' }]);
    assert.deepEqual(drift({ 'Kept {0}': 'Kept {0}', Gone: 'Gone' }, fromSource), {
      missing: ['New'],
      stale: ['Gone'],
    });
  });

  it('holds exactly the vscode.l10n.t messages in src/ (run `npm run l10n` after changing one)', () => {
    assert.ok(Object.keys(exported).length > 150, `only ${Object.keys(exported).length} messages`);
    assert.deepEqual(drift(bundle, exported), { missing: [], stale: [] });
  });

  it('holds every chat page string, so the host translates each with its English text as the message', () => {
    const untranslated = PAGE_STRING_KEYS.filter(
      (key) => bundle[ENGLISH_PAGE_STRINGS[key]] !== ENGLISH_PAGE_STRINGS[key],
    );
    assert.deepEqual(untranslated, [], 'src/chat/chatPageStrings.ts must use these English texts');
  });
});
