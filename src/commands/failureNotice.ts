import * as vscode from 'vscode';
import { adviseOnFailure, type FixAction } from '../status/model/failureAdvice';
import type { FailureReason } from '../pacer/index';
import { COMMANDS } from '../commandIds';

/** The button label of each action, in the display language. */
function actionLabels(): Readonly<Record<FixAction, string>> {
  return {
    addKey: vscode.l10n.t('Add Key'),
    manageKeys: vscode.l10n.t('Manage Keys'),
    openSettings: vscode.l10n.t('Open Settings'),
    showLog: vscode.l10n.t('Show Log'),
    retry: vscode.l10n.t('Retry'),
    continue: vscode.l10n.t('Continue'),
  };
}

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
  const advice = adviseOnFailure(reason, vscode.l10n.t);
  const actions = advice.actions.filter((a) => ACTION_COMMANDS[a] !== undefined || extra.includes(a));
  const labels = actionLabels();
  const chosenLabel = await vscode.window.showErrorMessage(
    vscode.l10n.t('Claude: {0}', advice.message),
    ...actions.map((a) => labels[a]),
  );
  const chosen = actions.find((a) => labels[a] === chosenLabel);
  const command = chosen ? ACTION_COMMANDS[chosen] : undefined;
  if (command) await vscode.commands.executeCommand(command);
  return chosen;
}
