import * as vscode from 'vscode';
import type { DashboardStrings } from './model/dashboardStrings';

/**
 * The dashboard's strings in the editor's language. Each message is a literal so `npm run l10n`
 * finds it; it must equal its English text in ENGLISH_DASHBOARD_STRINGS (a unit test checks).
 */
export function localizedDashboardStrings(): DashboardStrings {
  return {
    pageTitle: vscode.l10n.t('Claude Pacer: Usage'),
    copyMarkdown: vscode.l10n.t('Copy as Markdown'),
    openMarkdown: vscode.l10n.t('Open as Markdown'),
    noData: vscode.l10n.t('No requests in the last day yet.'),
    summaryToday: vscode.l10n.t(
      'Today: time at the limit {0}; requests waited {1} in all (queue, pacing and retries, not streaming).',
    ),
    tokensHourTitle: vscode.l10n.t('Tokens per minute, last hour: {0}'),
    tokensDayTitle: vscode.l10n.t('Tokens per minute, last day (hourly average): {0}'),
    inputSeries: vscode.l10n.t('Input tokens/min'),
    outputSeries: vscode.l10n.t('Output tokens/min'),
    inputLimit: vscode.l10n.t('Input limit'),
    outputLimit: vscode.l10n.t('Output limit'),
    limitUnknown: vscode.l10n.t('not known yet'),
    tokensSummary: vscode.l10n.t(
      '{0}: peak {1} input and {2} output tokens per minute; limits {3} input, {4} output.',
    ),
    tableTime: vscode.l10n.t('Time'),
    waitsTitle: vscode.l10n.t('Waits and 429s per key and model class, last day'),
    columnKey: vscode.l10n.t('Key'),
    columnModelClass: vscode.l10n.t('Model class'),
    columnRequests: vscode.l10n.t('Requests'),
    columnWaited: vscode.l10n.t('Requests that waited'),
    columnWaiting: vscode.l10n.t('Waiting time'),
    column429: vscode.l10n.t('429s'),
    cacheTitle: vscode.l10n.t('Cache savings, last day'),
    columnCacheReads: vscode.l10n.t('Cache-read tokens'),
    columnSavedItpm: vscode.l10n.t('Saved against the input limit'),
    columnCountedItpm: vscode.l10n.t('Counted against the input limit'),
    costTitle: vscode.l10n.t('Estimated cost per model, last day'),
    columnModel: vscode.l10n.t('Model'),
    columnInput: vscode.l10n.t('Input'),
    columnCacheWrites: vscode.l10n.t('Cache writes'),
    columnOutput: vscode.l10n.t('Output'),
    columnCost: vscode.l10n.t('Estimated cost'),
    columnCacheSaved: vscode.l10n.t('Saved by cache reads'),
    noPrice: vscode.l10n.t('no price known'),
    costNote: vscode.l10n.t(
      'List prices from Anthropic’s pricing page (see docs/usage-dashboard.md); cache writes at the 5-minute rate.',
    ),
    showTable: vscode.l10n.t('Show as table'),
  };
}
