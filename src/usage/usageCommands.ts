import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';
import { UsageTracker } from './usageTracker';

/** Scheme of the read-only usage report. */
const USAGE_SCHEME = 'claude-pacer-usage';

/** Asks for a key's daily budget (requests and/or tokens; empty = none) and stores it. */
export async function setDailyBudget(tracker: UsageTracker, keyId: string, label: string): Promise<void> {
  const current = tracker.budgetOf(keyId);
  const ask = async (what: string, value: number | undefined): Promise<number | undefined | null> => {
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Daily budget for "{0}"', label),
      prompt: vscode.l10n.t('{0} per day (empty: no limit). Resets at local midnight.', what),
      value: value?.toString() ?? '',
      validateInput: (v) =>
        v.trim() === '' || /^\d{1,12}$/.test(v.trim())
          ? undefined
          : vscode.l10n.t('A whole number, or empty.'),
    });
    if (text === undefined) return null;
    return text.trim() === '' ? undefined : Number(text.trim());
  };
  const requestsPerDay = await ask(vscode.l10n.t('Requests'), current?.requestsPerDay);
  if (requestsPerDay === null) return;
  const tokensPerDay = await ask(vscode.l10n.t('Tokens (input + output)'), current?.tokensPerDay);
  if (tokensPerDay === null) return;
  await tracker.setBudget(keyId, {
    ...(requestsPerDay !== undefined ? { requestsPerDay } : {}),
    ...(tokensPerDay !== undefined ? { tokensPerDay } : {}),
  });
}

/** Creates the tracker and registers Claude: Show Usage. */
export function registerUsage(context: vscode.ExtensionContext, service: PacerService): UsageTracker {
  const tracker = new UsageTracker(context.globalState, service);
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const uri = vscode.Uri.from({ scheme: USAGE_SCHEME, path: '/Claude Pacer usage.md' });
  context.subscriptions.push(
    tracker,
    changed,
    vscode.workspace.registerTextDocumentContentProvider(USAGE_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: () => tracker.report(),
    }),
    vscode.commands.registerCommand(COMMANDS.showUsage, async () => {
      // An open report refreshes on `changed` asynchronously, so its text may still be the last
      // one: the command answers with the report as of now.
      const report = tracker.report();
      changed.fire(uri);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(document, 'markdown');
      await vscode.window.showTextDocument(document, { preview: true });
      return report;
    }),
  );
  return tracker;
}
