import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

/** Offers "Explain with Claude" and "Fix with Claude" for a selection or a diagnostic. */
export class ClaudeCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const diagnostic = context.diagnostics[0];
    const target = range.isEmpty && diagnostic ? diagnostic.range : range;
    if (target.isEmpty) return [];
    const actions: vscode.CodeAction[] = [];
    const fixTitle = vscode.l10n.t('Fix with Claude');
    const fix = new vscode.CodeAction(fixTitle, vscode.CodeActionKind.QuickFix);
    fix.command = {
      command: COMMANDS.fixSelection,
      title: fixTitle,
      arguments: [document.uri, target],
    };
    if (diagnostic) fix.diagnostics = [diagnostic];
    actions.push(fix);
    const explainTitle = vscode.l10n.t('Explain with Claude');
    const explain = new vscode.CodeAction(explainTitle, vscode.CodeActionKind.RefactorRewrite);
    explain.command = {
      command: COMMANDS.explainSelection,
      title: explainTitle,
      arguments: [document.uri, target],
    };
    actions.push(explain);
    return actions;
  }
}

/** Registers the provider for every file. */
export function registerCodeActions(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new ClaudeCodeActions(), {
      providedCodeActionKinds: ClaudeCodeActions.kinds,
    }),
  );
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ scheme: 'untitled' }, new ClaudeCodeActions(), {
      providedCodeActionKinds: ClaudeCodeActions.kinds,
    }),
  );
}
