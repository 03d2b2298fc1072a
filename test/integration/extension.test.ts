import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  contributedCommands,
  EXTENSION_ID,
  extensionUnderTest,
} from './support/extension';
import { note } from './support/reportFile';

/** Prefix of every command the extension registers. */
const COMMAND_PREFIX = 'claudePacer.';

suite('Extension', () => {
  test('is loaded and activates', async () => {
    const { extension, activationMs, wasActive } = await activateExtension();
    assert.equal(extension.isActive, true);
    note(
      `${EXTENSION_ID} activate(): ${activationMs.toFixed(1)} ms${wasActive ? ' (was already active)' : ''}; host: ${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}`,
    );
  });

  test('every contributed command is registered', async () => {
    await activateExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands(extensionUnderTest()).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed in package.json but never registered');
  });

  test(`every registered ${COMMAND_PREFIX}* command is contributed`, async () => {
    await activateExtension();
    const contributed = new Set(contributedCommands(extensionUnderTest()));
    const registered = await vscode.commands.getCommands(true);
    const extra = registered.filter((id) => id.startsWith(COMMAND_PREFIX) && !contributed.has(id));
    assert.deepEqual(extra, [], 'registered but missing from contributes.commands');
  });
});
