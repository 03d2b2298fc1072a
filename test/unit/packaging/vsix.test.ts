import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PackagedVsix, packageCleanCopy } from '../../../scripts/packaging/packageVsix';
import { zipEntryNames } from '../../../scripts/packaging/zipEntries';

const MAX_VSIX_BYTES = 2 * 1024 * 1024;
const NOT_SHIPPED = ['sim/', 'bench/', 'test/', 'scripts/', 'src/', 'node_modules/', 'docs/'];

describe('npm run package on a clean copy of the tree (offline, stdin closed)', () => {
  let vsix: PackagedVsix;
  let entries: string[];

  before(async () => {
    vsix = await packageCleanCopy();
    entries = zipEntryNames(vsix.file);
  });
  after(() => vsix?.remove());

  // vsce answers its own [y/N] prompts with "y" when stdout is no terminal, and asks only after a warning.
  it('succeeds without a warning, so without a prompt in a terminal, building dist/ through vscode:prepublish', () => {
    assert.doesNotMatch(vsix.output, /WARNING|Do you want to continue/);
    assert.match(vsix.output, /vscode:prepublish/);
  });

  it('makes a VSIX of at most 2 MB', () => {
    assert.ok(vsix.bytes <= MAX_VSIX_BYTES, `${vsix.bytes} bytes (isolation: ${vsix.isolation})`);
  });

  it('ships the bundle, the pages, the manifest, its strings, the l10n bundle and the icon', () => {
    // The manifest's %key% strings resolve from package.nls.json, vscode.l10n.t's from l10n/ (package.json `l10n`); the walkthrough's pages are its media.
    for (const name of [
      'extension/dist/extension.js',
      'extension/media/usage/dist/dashboard.js',
      'extension/media/usage/dist/dashboard.css',
      'extension/package.json',
      'extension/package.nls.json',
      'extension/l10n/bundle.l10n.json',
      'extension/media/icon.png',
      'extension/media/walkthrough/key.md',
    ])
      assert.ok(entries.includes(name), `${name} missing from ${entries.join(', ')}`);
  });

  it('ships nothing from the simulator, benchmark, tests, scripts, sources, docs (the README picture) or node_modules', () => {
    const leaked = entries.filter((name) =>
      NOT_SHIPPED.some((folder) => name.startsWith(`extension/${folder}`)),
    );
    assert.deepEqual(leaked, []);
  });
});
