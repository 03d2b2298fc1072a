import * as vscode from 'vscode';

/** Command run when the status-bar item is clicked. */
export const SHOW_DETAILS_COMMAND = 'claudePacer.showDetails';

/** The one status-bar item: remaining quota, queue depth and retry countdown (filled in as the scheduler lands). */
export function registerStatusBar(context: vscode.ExtensionContext): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('claudePacer.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Claude Pacer';
  item.text = '$(pulse) Claude';
  item.tooltip = 'Claude Pacer';
  item.command = SHOW_DETAILS_COMMAND;
  item.show();
  context.subscriptions.push(
    item,
    vscode.commands.registerCommand(SHOW_DETAILS_COMMAND, () => {
      void vscode.window.showInformationMessage('Claude Pacer is running.');
    }),
  );
  return item;
}
