import * as vscode from 'vscode';
import { adviseOnFailure, type FixAction } from '../status/model/failureAdvice';
import type { FailureReason } from '../pacer/index';
import { COMMANDS } from '../commandIds';

const ACTION_LABELS: Readonly<Record<FixAction, string>> = {
  addKey: 'Add Key',
  manageKeys: 'Manage Keys',
  openSettings: 'Open Settings',
  showLog: 'Show Log',
  retry: 'Retry',
  continue: 'Continue',
};

const ACTION_COMMANDS: Partial<Record<FixAction, string>> = {
  addKey: COMMANDS.addApiKey,
  manageKeys: COMMANDS.manageApiKeys,
  openSettings: COMMANDS.openSettings,
  showLog: COMMANDS.showLog,
};

/**
 * Tells the user one sentence about a failure, with the actions that fix it. Returns the action
 * chosen when the caller must handle it itself (retry, continue).
 */
export async function showFailure(
  reason: FailureReason,
  extra: readonly FixAction[] = [],
): Promise<FixAction | undefined> {
  const advice = adviseOnFailure(reason);
  const actions = advice.actions.filter((a) => ACTION_COMMANDS[a] !== undefined || extra.includes(a));
  const chosenLabel = await vscode.window.showErrorMessage(
    `Claude: ${advice.message}`,
    ...actions.map((a) => ACTION_LABELS[a]),
  );
  const chosen = actions.find((a) => ACTION_LABELS[a] === chosenLabel);
  const command = chosen ? ACTION_COMMANDS[chosen] : undefined;
  if (command) await vscode.commands.executeCommand(command);
  return chosen;
}
