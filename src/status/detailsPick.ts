import * as vscode from 'vscode';
import { modelClassOf, type KeySnapshot, type PoolSnapshot } from '../pacer/index';
import { budgetPlaceText } from './model/budgetPlaceText';
import { formatCountdown } from './model/countdown';
import { hasKnownLimits, nextPoolOf } from './model/statusTooltip';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';

interface ActionItem extends vscode.QuickPickItem {
  readonly command?: string;
}

function fmt(n: number | undefined): string {
  return n === undefined ? '?' : Math.round(n).toLocaleString('en-US');
}

function organizationOf(pool: PoolSnapshot, keys: readonly KeySnapshot[]): string {
  if (!pool.organizationId.startsWith('key:')) return pool.organizationId;
  const key = keys.find((k) => `key:${k.id}` === pool.organizationId);
  return key
    ? vscode.l10n.t('organization not known yet (key {0})', key.label)
    : vscode.l10n.t('organization not known yet');
}

function poolItem(
  pool: PoolSnapshot,
  keys: readonly KeySnapshot[],
  isNext: boolean,
  nowMs: number,
): ActionItem {
  const d = pool.dimensions;
  const state =
    pool.state === 'cooling' && pool.coolingUntilMs
      ? vscode.l10n.t('cooling {0}', formatCountdown(pool.coolingUntilMs, nowMs))
      : pool.state === 'throttled'
        ? vscode.l10n.t('pacing')
        : vscode.l10n.t('ok');
  const next = isNext ? ` · ${vscode.l10n.t('next request')}` : '';
  return {
    label: `$(server) ${pool.modelClass}`,
    description: `${organizationOf(pool, keys)} · ${state}${next}`,
    detail: vscode.l10n.t(
      'requests {0}/{1} · input {2}/{3} · output {4}/{5} · {6} queued, {7} in flight',
      fmt(d.requests.remaining),
      fmt(d.requests.limit),
      fmt(d.inputTokens.remaining),
      fmt(d.inputTokens.limit),
      fmt(d.outputTokens.remaining),
      fmt(d.outputTokens.limit),
      pool.queued,
      pool.inFlight,
    ),
  };
}

/** The details view behind the status-bar item: per-pool and per-key state, and the actions. */
export async function showDetails(service: PacerService): Promise<void> {
  const now = Date.now();
  const model = service.settings.model;
  const snapshot = service.scheduler.snapshot(model);
  const nextPool = nextPoolOf(snapshot, modelClassOf(model));
  // A pool with no known limit yet (no response) has no figures to show: no phantom row of zeros.
  const pools = snapshot.pools.filter(hasKnownLimits);
  const items: ActionItem[] = [{ label: vscode.l10n.t('Pools'), kind: vscode.QuickPickItemKind.Separator }];
  if (pools.length === 0)
    items.push({
      label: `$(info) ${vscode.l10n.t('No response yet')}`,
      description: vscode.l10n.t('limits are learned from the first response'),
    });
  for (const pool of pools) items.push(poolItem(pool, snapshot.keys, pool === nextPool, now));
  items.push({ label: vscode.l10n.t('Keys'), kind: vscode.QuickPickItemKind.Separator });
  for (const key of snapshot.keys) {
    const until =
      key.untilMs !== undefined && key.untilMs > now
        ? ` ${vscode.l10n.t('until {0}', new Date(key.untilMs).toLocaleTimeString())}`
        : '';
    items.push({
      label: `$(key) ${key.label}`,
      description: `…${key.last4} · ${key.state.replace('_', ' ')}${until}`,
      detail: key.organizationId
        ? vscode.l10n.t('organization {0}', key.organizationId)
        : vscode.l10n.t('organization not known yet'),
    });
  }
  const queued = snapshot.queued.interactive + snapshot.queued.command + snapshot.queued.background;
  const place = budgetPlaceText(service.sharedBudget.place, vscode.l10n.t);
  items.push(
    { label: vscode.l10n.t('Budget'), kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(${place.icon}) ${place.label}`,
      description: place.description,
      command: place.isFallback ? COMMANDS.showLog : COMMANDS.openSettings,
    },
    { label: vscode.l10n.t('Endpoint'), kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(globe) ${service.baseUrl}`,
      description: service.isDemo ? vscode.l10n.t('simulator demo keys') : 'claudePacer.baseUrl',
      command: COMMANDS.openSettings,
    },
    { label: vscode.l10n.t('Actions'), kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(debug-restart) ${vscode.l10n.t('Retry now')}`,
      description: vscode.l10n.t('end cool-downs and retry waits'),
      command: COMMANDS.retryNow,
    },
    {
      label: `$(close-all) ${vscode.l10n.t('Cancel queued requests')}`,
      description: vscode.l10n.t('{0} queued', queued),
      command: COMMANDS.cancelQueued,
    },
    { label: `$(add) ${vscode.l10n.t('Add API key')}`, command: COMMANDS.addApiKey },
    { label: `$(settings-gear) ${vscode.l10n.t('Open settings')}`, command: COMMANDS.openSettings },
    { label: `$(output) ${vscode.l10n.t('Show log')}`, command: COMMANDS.showLog },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Claude Pacer: rate limits'),
    placeHolder: vscode.l10n.t('Pools, keys and actions'),
  });
  if (picked?.command) await vscode.commands.executeCommand(picked.command);
}
