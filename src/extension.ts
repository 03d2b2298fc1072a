import type * as vscode from 'vscode';
import { registerStatusBar } from './vscode/statusBar';

/** Entry point: wires the features together and nothing else. */
export function activate(context: vscode.ExtensionContext): void {
  registerStatusBar(context);
}

/** Nothing to do: every feature disposes through context.subscriptions. */
export function deactivate(): void {}
