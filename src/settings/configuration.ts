import * as vscode from 'vscode';
import { normalizeSettings, SETTINGS_SECTION, type PacerSettings } from './model/settings';

/** Reads every setting, typed and clamped. */
export function readSettings(): PacerSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return normalizeSettings((key) => config.get(key));
}

/** The Redis URL setting as written (trimmed), for saying why it is refused; '' when it is not a string. */
export function readRawRedisUrl(): string {
  const value: unknown = vscode.workspace.getConfiguration(SETTINGS_SECTION).get('coordination.redisUrl');
  return typeof value === 'string' ? value.trim() : '';
}

/** Calls `listener` with fresh settings whenever a Claude Pacer setting changes. */
export function onSettingsChanged(listener: (settings: PacerSettings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) listener(readSettings());
  });
}

/** Opens the Settings UI filtered to Claude Pacer. */
export function openSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `@ext:claude-pacer.claude-pacer`);
}
