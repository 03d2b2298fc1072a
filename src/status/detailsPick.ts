import * as vscode from 'vscode';
import { formatCountdown } from './model/countdown';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';

interface ActionItem extends vscode.QuickPickItem {
  readonly command?: string;
}

function fmt(n: number | undefined): string {
  return n === undefined ? '?' : Math.round(n).toLocaleString('en-US');
}

/** The details view behind the status-bar item: per-pool and per-key state, and the actions. */
export async function showDetails(service: PacerService): Promise<void> {
  const now = Date.now();
  const snapshot = service.scheduler.snapshot();
  const items: ActionItem[] = [{ label: 'Pools', kind: vscode.QuickPickItemKind.Separator }];
  if (snapshot.pools.length === 0)
    items.push({
      label: '$(info) No request sent yet',
      description: 'limits are learned from the first response',
    });
  for (const pool of snapshot.pools) {
    const d = pool.dimensions;
    const state =
      pool.state === 'cooling' && pool.coolingUntilMs
        ? `cooling ${formatCountdown(pool.coolingUntilMs, now)}`
        : pool.state;
    items.push({
      label: `$(server) ${pool.modelClass}`,
      description: `${pool.organizationId.startsWith('key:') ? 'organization not known yet' : pool.organizationId} · ${state}`,
      detail: `requests ${fmt(d.requests.remaining)}/${fmt(d.requests.limit)} · input ${fmt(d.inputTokens.remaining)}/${fmt(d.inputTokens.limit)} · output ${fmt(d.outputTokens.remaining)}/${fmt(d.outputTokens.limit)} · ${pool.queued} queued, ${pool.inFlight} in flight`,
    });
  }
  items.push({ label: 'Keys', kind: vscode.QuickPickItemKind.Separator });
  for (const key of snapshot.keys) {
    const until =
      key.untilMs !== undefined && key.untilMs > now
        ? ` until ${new Date(key.untilMs).toLocaleTimeString()}`
        : '';
    items.push({
      label: `$(key) ${key.label}`,
      description: `…${key.last4} · ${key.state.replace('_', ' ')}${until}`,
      detail: key.organizationId ? `organization ${key.organizationId}` : 'organization not known yet',
    });
  }
  const queued = snapshot.queued.interactive + snapshot.queued.command + snapshot.queued.background;
  items.push(
    { label: 'Endpoint', kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(globe) ${service.baseUrl}`,
      description: service.isDemo ? 'simulator demo keys' : 'claudePacer.baseUrl',
      command: COMMANDS.openSettings,
    },
    { label: 'Actions', kind: vscode.QuickPickItemKind.Separator },
    {
      label: '$(debug-restart) Retry now',
      description: 'end cool-downs and retry waits',
      command: COMMANDS.retryNow,
    },
    {
      label: '$(close-all) Cancel queued requests',
      description: `${queued} queued`,
      command: COMMANDS.cancelQueued,
    },
    { label: '$(add) Add API key', command: COMMANDS.addApiKey },
    { label: '$(settings-gear) Open settings', command: COMMANDS.openSettings },
    { label: '$(output) Show log', command: COMMANDS.showLog },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Claude Pacer: rate limits',
    placeHolder: 'Pools, keys and actions',
  });
  if (picked?.command) await vscode.commands.executeCommand(picked.command);
}
