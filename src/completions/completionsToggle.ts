import * as vscode from 'vscode';
import { onSettingsChanged, readSettings } from '../settings/configuration';
import { SETTINGS_SECTION, type PacerSettings } from '../settings/model/settings';

/** Command that turns inline completions on or off in the user settings. */
export const TOGGLE_COMPLETIONS_COMMAND = 'claudePacer.toggleInlineCompletions';

/** Id of the status-bar item that shows whether completions are on and toggles them. */
export const COMPLETIONS_TOGGLE_ID = 'claudePacer.completionsToggle';

/**
 * Flips `inlineCompletions.enabled` in the user (global) settings, the only place it is read from
 * (application scope: a workspace may not turn spending on), and returns the new value.
 */
export async function toggleInlineCompletions(): Promise<boolean> {
  const isOn = !readSettings()['inlineCompletions.enabled'];
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update('inlineCompletions.enabled', isOn, vscode.ConfigurationTarget.Global);
  vscode.window.setStatusBarMessage(
    isOn ? vscode.l10n.t('Claude inline completions on') : vscode.l10n.t('Claude inline completions off'),
    3000,
  );
  return isOn;
}

/** Text, tooltip and accessible label of the toggle item for a state. */
function present(item: vscode.StatusBarItem, isOn: boolean): void {
  item.text = isOn
    ? '$(sparkle) ' + vscode.l10n.t('Completions')
    : '$(circle-slash) ' + vscode.l10n.t('Completions');
  item.tooltip = isOn
    ? vscode.l10n.t('Claude inline completions are on (user settings). Click to turn them off.')
    : vscode.l10n.t(
        'Claude inline completions are off. Click to turn them on (user settings; they spend tokens).',
      );
  item.accessibilityInformation = {
    label: isOn
      ? vscode.l10n.t('Claude inline completions on; toggle')
      : vscode.l10n.t('Claude inline completions off; toggle'),
  };
}

/**
 * Registers the toggle command and its status-bar item; `onChange` hears the settings each time
 * they change (the provider drops what is pending when completions go off).
 */
export function registerCompletionsToggle(
  context: vscode.ExtensionContext,
  onChange: (settings: PacerSettings) => void,
): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem(COMPLETIONS_TOGGLE_ID, vscode.StatusBarAlignment.Right, 98);
  item.name = vscode.l10n.t('Claude Pacer completions toggle');
  item.command = TOGGLE_COMPLETIONS_COMMAND;
  present(item, readSettings()['inlineCompletions.enabled']);
  item.show();
  context.subscriptions.push(
    item,
    vscode.commands.registerCommand(TOGGLE_COMPLETIONS_COMMAND, toggleInlineCompletions),
    onSettingsChanged((settings) => {
      present(item, settings['inlineCompletions.enabled']);
      onChange(settings);
    }),
  );
  return item;
}
