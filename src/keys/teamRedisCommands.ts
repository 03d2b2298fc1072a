import * as vscode from 'vscode';
import { redisConnectionOf, type RedisUrlRefusal } from '../coordination/redis/redisConnection';
import { COMMANDS } from '../commandIds';
import { onSettingsChanged, openSettings, readRawRedisUrl } from '../settings/configuration';
import type { TeamRedisPassword } from './teamRedisPassword';

/** Why the Redis URL setting is not used, in one sentence for the user. */
function refusalText(refusal: RedisUrlRefusal): string {
  switch (refusal) {
    case 'password':
      return vscode.l10n.t(
        'The team Redis URL carries a password, so Claude Pacer does not use it. Remove the password from "claudePacer.coordination.redisUrl" and store it with "Claude: Set Team Redis Password".',
      );
    case 'query':
      return vscode.l10n.t(
        'The team Redis URL has options after "?" or "#", so Claude Pacer does not use it. Remove them from "claudePacer.coordination.redisUrl".',
      );
    default:
      return vscode.l10n.t(
        'Claude Pacer cannot use the team Redis URL: write it as redis://host:6379 or rediss://host:6380 (TLS) in "claudePacer.coordination.redisUrl".',
      );
  }
}

/** Asks for the password and stores it in SecretStorage (empty: removes it). */
async function setTeamRedisPassword(password: TeamRedisPassword): Promise<boolean> {
  const entered = await vscode.window.showInputBox({
    title: vscode.l10n.t('Team Redis password'),
    prompt: vscode.l10n.t(
      'The password of the Redis in "claudePacer.coordination.redisUrl". It is kept in SecretStorage, never in settings. Leave empty to remove it.',
    ),
    password: true,
    ignoreFocusOut: true,
  });
  if (entered === undefined) return false;
  await password.set(entered);
  void vscode.window.showInformationMessage(
    entered === ''
      ? vscode.l10n.t('Team Redis password removed.')
      : vscode.l10n.t('Team Redis password stored in SecretStorage.'),
  );
  return true;
}

/**
 * The team Redis: the "Set Team Redis Password" command, and a warning (once per value) when the
 * URL setting is refused, e.g. because it carries a password.
 */
export function registerTeamRedis(context: vscode.ExtensionContext, password: TeamRedisPassword): void {
  let warnedFor = '';
  const checkUrl = (): void => {
    const raw = readRawRedisUrl();
    if (raw === '' || raw === warnedFor) return;
    const built = redisConnectionOf(raw, '');
    if (built.ok) return;
    warnedFor = raw;
    const setPassword = vscode.l10n.t('Set Team Redis Password');
    const settings = vscode.l10n.t('Open Settings');
    const actions = built.refusal === 'password' ? [setPassword, settings] : [settings];
    void vscode.window.showWarningMessage(refusalText(built.refusal), ...actions).then((picked) => {
      if (picked === setPassword) void vscode.commands.executeCommand(COMMANDS.setTeamRedisPassword);
      else if (picked === settings) void openSettings();
    });
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setTeamRedisPassword, () => setTeamRedisPassword(password)),
    onSettingsChanged(checkUrl),
  );
  checkUrl();
}
