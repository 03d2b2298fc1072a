import * as vscode from 'vscode';
import { apiKeyShapeProblem } from './model/apiKeyShape';
import { keyCheckVerdict, type KeyCheckVerdict } from './model/keyCheck';
import { endpointHost } from './model/endpointConsent';
import type { KeyInfo, KeySnapshot } from '../pacer/index';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';
import { setDailyBudget } from '../usage/usageCommands';
import type { UsageTracker } from '../usage/usageTracker';

const ENV_IMPORT_OFFERED = 'claudePacer.envImportOffered';
const SIMULATOR_KEY = /^sk-ant-sim-/;
/** How long Manage Keys waits for the free checks that find unknown organizations. */
const ORGANIZATION_LOOKUP_MS = 5000;

/** The last check of each key in this session (key id → verdict), shown in the key list. */
export type KeyChecks = Map<string, KeyCheckVerdict>;

/** A verdict in a few words: "works (organization …)", "rejected: …", "could not check (…)". */
function verdictText(verdict: KeyCheckVerdict): string {
  if (verdict.kind === 'works')
    return verdict.organizationId
      ? vscode.l10n.t('works (organization {0})', verdict.organizationId)
      : vscode.l10n.t('works');
  if (verdict.kind === 'rejected') return vscode.l10n.t('rejected: {0}', verdict.detail);
  return vscode.l10n.t('could not check ({0})', verdict.reason);
}

/** Checks a stored or demo key with the free count_tokens call (which also teaches the scheduler its organization). */
async function checkKey(
  service: PacerService,
  keyId: string,
  signal?: AbortSignal,
): Promise<KeyCheckVerdict> {
  const outcome = await service.countTokens({
    keyId,
    model: service.settings.model,
    messages: [{ role: 'user', content: 'ping' }],
    ...(signal ? { signal } : {}),
  });
  return keyCheckVerdict(outcome);
}

/**
 * On the demo simulator, says plainly what adding a real key does (the simulator cannot check it;
 * the demo keys stop being used) and asks to check it where own keys go. False when declined.
 */
async function confirmLeavingDemo(service: PacerService, secret: string): Promise<boolean> {
  if (SIMULATOR_KEY.test(secret.trim())) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        "This is a simulator key: the demo already rotates the simulator's keys, so it was not stored.",
      ),
    );
    return false;
  }
  const host = endpointHost(service.ownKeysBaseUrl) ?? service.ownKeysBaseUrl;
  const check = vscode.l10n.t('Check with {0}', host);
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'Claude Pacer is running on the demo simulator ({0}), which cannot check a real key.',
      endpointHost(service.baseUrl) ?? service.baseUrl,
    ),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Adding your key switches Claude Pacer from the {0} simulator demo keys to your own keys, sent to {1}; the key is checked there first. The demo keys come back when you remove your keys.',
        service.activeKeys.length,
        host,
      ),
    },
    check,
  );
  return choice === check;
}

/** Asks for a key (password box, shape validated) and a label, checks it, stores it. */
export async function addApiKey(
  service: PacerService,
  presetSecret?: string,
  checks?: KeyChecks,
): Promise<boolean> {
  const secret =
    presetSecret ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Claude: Add API Key'),
      prompt: vscode.l10n.t('Paste an Anthropic API key. It is kept in VS Code SecretStorage only.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => apiKeyShapeProblem(value, vscode.l10n.t),
    }));
  if (secret === undefined) return false;
  const problem = apiKeyShapeProblem(secret, vscode.l10n.t);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return false;
  }
  // Decided before storing: once a key is stored, the demo is over.
  const leavingDemo = service.isDemo;
  const demoKeyCount = service.activeKeys.length;
  if (leavingDemo && !(await confirmLeavingDemo(service, secret))) return false;
  const label = await vscode.window.showInputBox({
    title: vscode.l10n.t('Claude: Add API Key'),
    prompt: vscode.l10n.t('A label for this key (optional), e.g. "work" or "personal".'),
    ignoreFocusOut: true,
  });
  if (label === undefined) return false;
  const host = endpointHost(service.ownKeysBaseUrl) ?? service.ownKeysBaseUrl;
  const verdict = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Checking the key with a free count_tokens call to {0}…', host),
    },
    async () => keyCheckVerdict(await service.verifySecret(secret, 'ownKeys')),
  );
  if (verdict.kind !== 'works') {
    const problemText =
      verdict.kind === 'rejected'
        ? vscode.l10n.t('The server did not accept this key: {0}', verdict.detail)
        : vscode.l10n.t('Could not check this key with {0} ({1}).', host, verdict.reason);
    const switching = leavingDemo
      ? ` ${vscode.l10n.t('Storing it anyway switches from the demo keys to this key at {0}.', host)}`
      : '';
    const storeAnyway = vscode.l10n.t('Store Anyway');
    const choice = await vscode.window.showWarningMessage(
      problemText + switching,
      storeAnyway,
      vscode.l10n.t('Cancel'),
    );
    if (choice !== storeAnyway) return false;
  }
  try {
    const info = await service.keys.add(secret, label);
    checks?.set(info.id, verdict);
    const added = vscode.l10n.t('Key "{0}" (…{1}) added: {2}.', info.label, info.last4, verdictText(verdict));
    const switched = leavingDemo
      ? ` ${vscode.l10n.t('Claude Pacer now uses your own keys at {0}; the {1} simulator demo keys are no longer used.', host, demoKeyCount)}`
      : '';
    void vscode.window.showInformationMessage(added + switched);
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return false;
  }
}

function stateText(key: KeySnapshot | undefined): string {
  if (!key) return vscode.l10n.t('not used yet');
  if (key.state === 'cooling' && key.untilMs)
    return vscode.l10n.t('cooling until {0}', new Date(key.untilMs).toLocaleTimeString());
  if (key.state === 'spend_limit') return vscode.l10n.t('spend cap reached');
  if (key.state === 'rejected') return vscode.l10n.t('rejected');
  if (key.state === 'billing') return vscode.l10n.t('billing problem');
  if (key.state === 'daily_budget') return vscode.l10n.t('daily budget reached');
  return vscode.l10n.t('ok');
}

/** Finds, with free checks in parallel (at most a few seconds), the organization of keys the scheduler has not placed yet. */
async function lookUpOrganizations(
  service: PacerService,
  keys: readonly KeyInfo[],
  checks: KeyChecks,
): Promise<void> {
  const known = new Set(
    service.scheduler
      .snapshot()
      .keys.filter((k) => k.organizationId)
      .map((k) => k.id),
  );
  const unknown = keys.filter((k) => !known.has(k.id) && !checks.has(k.id));
  if (unknown.length === 0) return;
  const signal = AbortSignal.timeout(ORGANIZATION_LOOKUP_MS);
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t("Finding the keys' organizations…"),
    },
    () => Promise.all(unknown.map(async (k) => checks.set(k.id, await checkKey(service, k.id, signal)))),
  );
}

/** Lists keys (label, …last4, organization, state, last check) with test, rename and remove; on the demo, its keys. */
export async function manageApiKeys(
  service: PacerService,
  tracker?: UsageTracker,
  checks: KeyChecks = new Map(),
): Promise<void> {
  const isDemo = service.isDemo;
  const keys = isDemo ? service.activeKeys : service.keys.list();
  if (keys.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('No API key is stored.'),
      vscode.l10n.t('Add API Key'),
    );
    if (choice) await addApiKey(service, undefined, checks);
    return;
  }
  await lookUpOrganizations(service, keys, checks);
  const snapshot = service.scheduler.snapshot();
  const picked = await vscode.window.showQuickPick(
    keys.map((k) => {
      const s = snapshot.keys.find((x) => x.id === k.id);
      const check = checks.get(k.id);
      const organization = s?.organizationId ?? (check?.kind === 'works' ? check.organizationId : undefined);
      return {
        label: k.label,
        description: [
          `…${k.last4}`,
          stateText(s),
          // The organization has its own line below.
          ...(check ? [check.kind === 'works' ? vscode.l10n.t('works') : verdictText(check)] : []),
        ].join(' · '),
        detail: organization
          ? vscode.l10n.t('organization {0}', organization)
          : vscode.l10n.t('organization not known yet'),
        id: k.id,
      };
    }),
    {
      title: isDemo
        ? vscode.l10n.t('Claude: Manage API Keys (simulator demo keys)')
        : vscode.l10n.t('Claude: Manage API Keys'),
      placeHolder: vscode.l10n.t('Choose a key'),
    },
  );
  if (!picked) return;
  const addOwn = vscode.l10n.t('Add Your Own Key');
  const [test, rename, setBudget, remove] = [
    vscode.l10n.t('Test'),
    vscode.l10n.t('Rename'),
    vscode.l10n.t('Set Daily Budget'),
    vscode.l10n.t('Remove'),
  ];
  const actions = isDemo ? [test, addOwn] : [test, rename, ...(tracker ? [setBudget] : []), remove];
  const action = await vscode.window.showQuickPick(actions, {
    title: `${picked.label} …${keys.find((k) => k.id === picked.id)?.last4 ?? ''}`,
  });
  if (action === test) {
    const verdict = await checkKey(service, picked.id);
    checks.set(picked.id, verdict);
    if (verdict.kind === 'works') service.scheduler.releaseKey(picked.id);
    const text = vscode.l10n.t('"{0}" {1}.', picked.label, verdictText(verdict));
    void (verdict.kind === 'works'
      ? vscode.window.showInformationMessage(text)
      : verdict.kind === 'rejected'
        ? vscode.window.showErrorMessage(text)
        : vscode.window.showWarningMessage(text));
  } else if (action === addOwn) {
    await addApiKey(service, undefined, checks);
  } else if (action === rename) {
    const label = await vscode.window.showInputBox({
      title: vscode.l10n.t('Rename key'),
      value: picked.label,
    });
    if (label) await service.keys.rename(picked.id, label);
  } else if (action === setBudget && tracker) {
    await setDailyBudget(tracker, picked.id, picked.label);
  } else if (action === remove) {
    const confirm = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the key "{0}"?', picked.label),
      { modal: true },
      remove,
    );
    if (confirm === remove) await service.keys.remove(picked.id);
  }
}

/** Removes every stored key after confirmation. */
export async function removeAllApiKeys(service: PacerService): Promise<void> {
  const count = service.keys.list().length;
  if (count === 0) return;
  const removeAll = vscode.l10n.t('Remove All');
  const confirm = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove all {0} stored API key(s)?', count),
    { modal: true },
    removeAll,
  );
  if (confirm === removeAll) await service.keys.removeAll();
}

/** If ANTHROPIC_API_KEY is set and no key is stored, offers once to import it. */
export async function offerEnvironmentKey(
  context: vscode.ExtensionContext,
  service: PacerService,
): Promise<void> {
  const env = process.env['ANTHROPIC_API_KEY'];
  if (!env || service.keys.list().length > 0 || context.globalState.get<boolean>(ENV_IMPORT_OFFERED)) return;
  await context.globalState.update(ENV_IMPORT_OFFERED, true);
  const importKey = vscode.l10n.t('Import');
  const choice = await vscode.window.showInformationMessage(
    // Only the last four characters, as everywhere a key is named.
    vscode.l10n.t(
      "ANTHROPIC_API_KEY is set (…{0}). Store it in Claude Pacer's secret storage?",
      env.trim().slice(-4),
    ),
    importKey,
    vscode.l10n.t('Not Now'),
  );
  if (choice === importKey) await addApiKey(service, env);
}

/** Registers the key commands. */
export function registerKeyCommands(
  context: vscode.ExtensionContext,
  service: PacerService,
  tracker?: UsageTracker,
): void {
  const checks: KeyChecks = new Map();
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.addApiKey, () => addApiKey(service, undefined, checks)),
    vscode.commands.registerCommand(COMMANDS.manageApiKeys, () => manageApiKeys(service, tracker, checks)),
    vscode.commands.registerCommand(COMMANDS.removeAllApiKeys, () => removeAllApiKeys(service)),
  );
}
