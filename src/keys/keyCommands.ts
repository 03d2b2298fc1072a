import * as vscode from 'vscode';
import { apiKeyShapeProblem } from './model/apiKeyShape';
import type { KeySnapshot } from '../pacer/index';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';
import { setDailyBudget } from '../usage/usageCommands';
import type { UsageTracker } from '../usage/usageTracker';

const ENV_IMPORT_OFFERED = 'claudePacer.envImportOffered';

/** Checks a key with the free count_tokens call; returns a one-line verdict and whether it works. */
async function verify(service: PacerService, secret: string): Promise<{ ok: boolean; text: string }> {
  const outcome = await service.verifySecret(secret);
  if (outcome.kind === 'success') {
    const org = outcome.headers.get('anthropic-organization-id');
    return { ok: true, text: org ? `works (organization ${org})` : 'works' };
  }
  return { ok: false, text: `${outcome.error.status ?? ''} ${outcome.error.message}`.trim() };
}

/** Asks for a key (password box, shape validated) and a label, checks it, stores it. */
export async function addApiKey(service: PacerService, presetSecret?: string): Promise<boolean> {
  const secret =
    presetSecret ??
    (await vscode.window.showInputBox({
      title: 'Claude: Add API Key',
      prompt: 'Paste an Anthropic API key. It is kept in VS Code SecretStorage only.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => apiKeyShapeProblem(value),
    }));
  if (secret === undefined) return false;
  const problem = apiKeyShapeProblem(secret);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return false;
  }
  const label = await vscode.window.showInputBox({
    title: 'Claude: Add API Key',
    prompt: 'A label for this key (optional), e.g. "work" or "personal".',
    ignoreFocusOut: true,
  });
  if (label === undefined) return false;
  const verdict = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Checking the key with a free count_tokens call…',
    },
    () => verify(service, secret),
  );
  if (!verdict.ok) {
    const choice = await vscode.window.showWarningMessage(
      `The server did not accept this key: ${verdict.text}`,
      'Store Anyway',
      'Cancel',
    );
    if (choice !== 'Store Anyway') return false;
  }
  try {
    const info = await service.keys.add(secret, label);
    void vscode.window.showInformationMessage(
      `Key "${info.label}" (…${info.last4}) added: ${verdict.ok ? verdict.text : 'not verified'}.`,
    );
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return false;
  }
}

function stateText(key: KeySnapshot | undefined): string {
  if (!key) return 'not used yet';
  if (key.state === 'cooling' && key.untilMs)
    return `cooling until ${new Date(key.untilMs).toLocaleTimeString()}`;
  if (key.state === 'spend_limit') return 'spend cap reached';
  if (key.state === 'rejected') return 'rejected';
  if (key.state === 'billing') return 'billing problem';
  if (key.state === 'daily_budget') return 'daily budget reached';
  return 'ok';
}

/** Lists keys (label, …last4, organization, state) with test, rename and remove. */
export async function manageApiKeys(service: PacerService, tracker?: UsageTracker): Promise<void> {
  const stored = service.keys.list();
  if (stored.length === 0) {
    const choice = await vscode.window.showInformationMessage('No API key is stored.', 'Add API Key');
    if (choice) await addApiKey(service);
    return;
  }
  const snapshot = service.scheduler.snapshot();
  const picked = await vscode.window.showQuickPick(
    stored.map((k) => {
      const s = snapshot.keys.find((x) => x.id === k.id);
      return {
        label: k.label,
        description: `…${k.last4} · ${stateText(s)}`,
        detail: s?.organizationId ? `organization ${s.organizationId}` : 'organization not known yet',
        id: k.id,
      };
    }),
    { title: 'Claude: Manage API Keys', placeHolder: 'Choose a key' },
  );
  if (!picked) return;
  const action = await vscode.window.showQuickPick(
    ['Test', 'Rename', ...(tracker ? ['Set Daily Budget'] : []), 'Remove'],
    {
      title: `${picked.label} …${stored.find((k) => k.id === picked.id)?.last4 ?? ''}`,
    },
  );
  if (action === 'Test') {
    const secret = service.keys.secretFor(picked.id);
    if (!secret) return;
    const verdict = await verify(service, secret);
    if (verdict.ok) service.scheduler.releaseKey(picked.id);
    void (verdict.ok
      ? vscode.window.showInformationMessage(`"${picked.label}" ${verdict.text}.`)
      : vscode.window.showErrorMessage(`"${picked.label}" was rejected: ${verdict.text}`));
  } else if (action === 'Rename') {
    const label = await vscode.window.showInputBox({ title: 'Rename key', value: picked.label });
    if (label) await service.keys.rename(picked.id, label);
  } else if (action === 'Set Daily Budget' && tracker) {
    await setDailyBudget(tracker, picked.id, picked.label);
  } else if (action === 'Remove') {
    const confirm = await vscode.window.showWarningMessage(
      `Remove the key "${picked.label}"?`,
      { modal: true },
      'Remove',
    );
    if (confirm === 'Remove') await service.keys.remove(picked.id);
  }
}

/** Removes every stored key after confirmation. */
export async function removeAllApiKeys(service: PacerService): Promise<void> {
  const count = service.keys.list().length;
  if (count === 0) return;
  const confirm = await vscode.window.showWarningMessage(
    `Remove all ${count} stored API key(s)?`,
    { modal: true },
    'Remove All',
  );
  if (confirm === 'Remove All') await service.keys.removeAll();
}

/** If ANTHROPIC_API_KEY is set and no key is stored, offers once to import it. */
export async function offerEnvironmentKey(
  context: vscode.ExtensionContext,
  service: PacerService,
): Promise<void> {
  const env = process.env['ANTHROPIC_API_KEY'];
  if (!env || service.keys.list().length > 0 || context.globalState.get<boolean>(ENV_IMPORT_OFFERED)) return;
  await context.globalState.update(ENV_IMPORT_OFFERED, true);
  const choice = await vscode.window.showInformationMessage(
    `ANTHROPIC_API_KEY is set (…${env.trim().slice(-4)}). Store it in Claude Pacer's secret storage?`,
    'Import',
    'Not Now',
  );
  if (choice === 'Import') await addApiKey(service, env);
}

/** Registers the key commands. */
export function registerKeyCommands(
  context: vscode.ExtensionContext,
  service: PacerService,
  tracker?: UsageTracker,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.addApiKey, () => addApiKey(service)),
    vscode.commands.registerCommand(COMMANDS.manageApiKeys, () => manageApiKeys(service, tracker)),
    vscode.commands.registerCommand(COMMANDS.removeAllApiKeys, () => removeAllApiKeys(service)),
  );
}
