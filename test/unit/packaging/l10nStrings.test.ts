import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/** Editor-layer sources: every `.ts` file under `src/` outside the pure `model/` folders and the chat page. */
function editorLayerFiles(dir = 'src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'model' || entry.name === 'webview' ? [] : editorLayerFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Calls of showInformationMessage / showWarningMessage / showErrorMessage whose first argument is a string literal. */
function plainNotifications(source: string): string[] {
  const call = /\bshow(?:Information|Warning|Error)Message\(\s*(['"`])/g;
  return [...source.matchAll(call)].map((match) => {
    const line = source.slice(0, match.index).split('\n').length;
    return `line ${line}: ${source.slice(match.index, match.index + 80).split('\n')[0]}`;
  });
}

describe('user-facing notifications go through vscode.l10n.t', () => {
  it('flags a notification whose message is a plain string literal (the scan can fail)', () => {
    assert.equal(
      plainNotifications(`void vscode.window.showInformationMessage('Select some code first.');`).length,
      1,
    );
    assert.equal(
      plainNotifications('vscode.window.showWarningMessage(\n  `Remove ${n} keys?`, ...);').length,
      1,
    );
    assert.equal(plainNotifications(`window.showErrorMessage("Failed.")`).length, 1);
    assert.deepEqual(
      plainNotifications(`vscode.window.showInformationMessage(vscode.l10n.t('Hi {0}', name));`),
      [],
    );
    assert.deepEqual(plainNotifications('vscode.window.showWarningMessage(message);'), []);
  });

  it('no editor-layer file under src/ passes a string literal as the message', () => {
    const files = editorLayerFiles();
    assert.ok(files.length > 30, `only ${files.length} editor-layer files found`);
    const found = files.flatMap((file) =>
      plainNotifications(readFileSync(file, 'utf8')).map((hit) => `${file} ${hit}`),
    );
    assert.deepEqual(found, [], 'wrap these messages in vscode.l10n.t(…)');
  });
});
