import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';
import { ENGLISH_PAGE_STRINGS, PAGE_STRING_KEYS } from '../../../src/chat/model/pageStrings';
import { cachedExportBundle } from '../../../scripts/l10n/cachedExport';
import { type ExportedBundle } from '../../../scripts/l10n/exportBundle';
import { localizeMessages } from '../../../scripts/l10n/localizeMessages';

type Bundle = Record<string, unknown>;

/** Messages the sources use that the bundle lacks (or holds with another text), and ones it holds that no source uses. */
function drift(bundle: Bundle, exported: Bundle): { missing: string[]; stale: string[] } {
  return {
    missing: Object.keys(exported).filter((key) => bundle[key] !== exported[key]),
    stale: Object.keys(bundle).filter((key) => !(key in exported)),
  };
}

/** A src/ tree in a temporary folder: the real localize.ts, and `files` (path under src/ → contents). */
function sourceTree(files: Record<string, string>): { root: string; paths: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'l10n-models-'));
  const localize = join(root, 'src/status/model/localize.ts');
  mkdirSync(dirname(localize), { recursive: true });
  copyFileSync('src/status/model/localize.ts', localize);
  const paths = [localize];
  for (const [path, contents] of Object.entries(files)) {
    const file = join(root, 'src', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
    paths.push(file);
  }
  return { root, paths };
}

describe('model messages (scripts/l10n/localizeMessages.ts)', () => {
  const tree = sourceTree({
    'status/model/words.ts': [
      `import { ENGLISH, type Localize } from './localize';`,
      `export function words(t: Localize = ENGLISH, n = 1): string[] {`,
      `  return [t('Plain'), t("Args {0}", n), t(\`Template\`), t('Plain')];`,
      `}`,
      `const LABELS: Readonly<Record<'a', (t: Localize) => string>> = { a: (t) => t('Contextual') };`,
      `export const label = (localize: Localize): string => LABELS.a(localize) + localize('Any name');`,
      `export function notALocalize(t: (s: string) => string): string { return t('Not a message'); }`,
      `export function computed(t: Localize, key: string): string { return t(key) + t(\`Sub \${key}\`); }`,
    ].join('\n'),
    'chat/model/user.ts': [
      `import { ENGLISH } from '../../status/model/localize';`,
      `import { words } from '../../status/model/words';`,
      `const english = ENGLISH;`,
      `export const both = [words(english), english('Through a variable')];`,
    ].join('\n'),
  });
  const found = localizeMessages(tree.paths, tree.root);
  after(() => rmSync(tree.root, { recursive: true, force: true }));

  it('lists the literal messages of calls typed Localize, whatever the callee is named, each once', () => {
    assert.deepEqual(found.messages, [
      'Plain',
      'Args {0}',
      'Template',
      'Contextual',
      'Any name',
      'Through a variable',
    ]);
  });

  it('names each Localize call whose message is not a literal, with its file and line', () => {
    const { problems } = found;
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0]!, /^src\/status\/model\/words\.ts:8: .*string literal.*: t\(key\)$/);
    assert.match(problems[1]!, /^src\/status\/model\/words\.ts:8: .*: t\(`Sub \$\{key\}`\)$/);
  });
});

describe('l10n/bundle.l10n.json', () => {
  const bundle = JSON.parse(readFileSync('l10n/bundle.l10n.json', 'utf8')) as Bundle;
  let exported: ExportedBundle;
  before(async () => {
    // Cached under a hash of src/ and the export's code (.cache/l10n/): the same result, computed once per change.
    exported = await cachedExportBundle(resolve('src'));
  });

  it('is where package.json says VS Code finds it, written by scripts/l10n.ts', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { l10n?: string; scripts: Bundle };
    assert.equal(manifest.l10n, './l10n');
    assert.equal(manifest.scripts['l10n'], 'node --import tsx scripts/l10n.ts');
  });

  it('names a vscode.l10n.t message that is missing, and one no source uses any more', async () => {
    const source = `import * as vscode from 'vscode';\nvscode.l10n.t('Kept {0}', x);\nvscode.l10n.t("New");`;
    const fromSource = await getL10nJson([{ contents: source, extension: '.ts' }]);
    assert.deepEqual(drift({ 'Kept {0}': 'Kept {0}', Gone: 'Gone' }, fromSource), {
      missing: ['New'],
      stale: ['Gone'],
    });
  });

  it('has no Localize call in src/ whose message npm run l10n cannot read', () => {
    assert.deepEqual(exported.problems, []);
  });

  it('holds exactly the vscode.l10n.t and model Localize messages in src/ (run `npm run l10n` after changing one)', () => {
    assert.ok(
      Object.keys(exported.bundle).length > 250,
      `only ${Object.keys(exported.bundle).length} messages`,
    );
    assert.equal(
      exported.bundle['Claude Pacer has no API key yet. Add one to send requests.'],
      'Claude Pacer has no API key yet. Add one to send requests.',
      'a failureAdvice.ts message',
    );
    assert.deepEqual(drift(bundle, exported.bundle), { missing: [], stale: [] });
  });

  it('holds every chat page string, so the host translates each with its English text as the message', () => {
    const untranslated = PAGE_STRING_KEYS.filter(
      (key) => bundle[ENGLISH_PAGE_STRINGS[key]] !== ENGLISH_PAGE_STRINGS[key],
    );
    assert.deepEqual(untranslated, [], 'src/chat/chatPageStrings.ts must use these English texts');
  });
});
