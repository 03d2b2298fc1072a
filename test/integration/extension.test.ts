import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  contributedCommands,
  contributedViews,
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
    const host = `${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}`;
    note(
      wasActive
        ? `${EXTENSION_ID} was already active (activated at startup; see the UI check for its activation time); host: ${host}`
        : `${EXTENSION_ID} activate(): ${activationMs.toFixed(1)} ms; host: ${host}`,
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
    const extension = extensionUnderTest();
    const contributed = new Set(contributedCommands(extension));
    // The workbench's own commands for a contributed view (`<view id>.focus`, `.open`, `.removeView`, …).
    const viewPrefixes = contributedViews(extension).map((id) => `${id}.`);
    const registered = await vscode.commands.getCommands(true);
    const extra = registered.filter(
      (id) =>
        id.startsWith(COMMAND_PREFIX) &&
        !contributed.has(id) &&
        !viewPrefixes.some((prefix) => id.startsWith(prefix)),
    );
    assert.deepEqual(extra, [], 'registered but missing from contributes.commands');
  });
});
