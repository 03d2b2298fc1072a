import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';
import { UsageDashboard } from './usageDashboard';
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

/** What registerUsage creates: the tracker every feature records into, and the dashboard panel. */
export interface UsageFeature {
  readonly tracker: UsageTracker;
  readonly dashboard: UsageDashboard;
}

/** Creates the tracker and registers Claude: Show Usage (the dashboard; the Markdown report from its buttons). */
export function registerUsage(context: vscode.ExtensionContext, service: PacerService): UsageFeature {
  const tracker = new UsageTracker(context.globalState, service);
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const uri = vscode.Uri.from({ scheme: USAGE_SCHEME, path: '/Claude Pacer usage.md' });
  const openMarkdown = async (): Promise<void> => {
    // An open report refreshes on `changed` asynchronously: fire first so it shows the figures as of now.
    changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: true });
  };
  const dashboard = new UsageDashboard(context.extensionUri, tracker, service, {
    open: openMarkdown,
    copy: async () => {
      await vscode.env.clipboard.writeText(tracker.report());
      void vscode.window.showInformationMessage(vscode.l10n.t('Usage report copied as Markdown.'));
    },
  });
  context.subscriptions.push(
    tracker,
    changed,
    dashboard,
    vscode.workspace.registerTextDocumentContentProvider(USAGE_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: () => tracker.report(),
    }),
    // Answers with the Markdown report as of now (what Copy as Markdown copies), for scripts and tests.
    vscode.commands.registerCommand(COMMANDS.showUsage, () => {
      dashboard.show();
      return tracker.report();
    }),
  );
  return { tracker, dashboard };
}
