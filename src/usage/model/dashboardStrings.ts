/**
 * Every user-visible string of the usage dashboard page, by key, in English: the fallback and the
 * messages the host translates (src/usage/dashboardPageStrings.ts, typed by {@link DashboardStrings}).
 * `{0}`, `{1}`, … are placeholders filled by {@link dashboardText}.
 */
import { record, str } from '../../chat/model/protocolFields';
import { fillPlaceholders } from '../../status/model/localize';

/** The English text of every dashboard string. */
export const ENGLISH_DASHBOARD_STRINGS = {
  pageTitle: 'Claude Pacer: Usage',
  copyMarkdown: 'Copy as Markdown',
  openMarkdown: 'Open as Markdown',
  noData: 'No requests in the last day yet.',
  summaryToday:
    'Today: time at the limit {0}; requests waited {1} in all (queue, pacing and retries, not streaming).',
  tokensHourTitle: 'Tokens per minute, last hour: {0}',
  tokensDayTitle: 'Tokens per minute, last day (hourly average): {0}',
  inputSeries: 'Input tokens/min',
  outputSeries: 'Output tokens/min',
  inputLimit: 'Input limit',
  outputLimit: 'Output limit',
  limitUnknown: 'not known yet',
  tokensSummary: '{0}: peak {1} input and {2} output tokens per minute; limits {3} input, {4} output.',
  tableTime: 'Time',
  waitsTitle: 'Waits and 429s per key and model class, last day',
  columnKey: 'Key',
  columnModelClass: 'Model class',
  columnRequests: 'Requests',
  columnWaited: 'Requests that waited',
  columnWaiting: 'Waiting time',
  column429: '429s',
  cacheTitle: 'Cache savings, last day',
  columnCacheReads: 'Cache-read tokens',
  columnSavedItpm: 'Saved against the input limit',
  columnCountedItpm: 'Counted against the input limit',
  costTitle: 'Estimated cost per model, last day',
  columnModel: 'Model',
  columnInput: 'Input',
  columnCacheWrites: 'Cache writes',
  columnOutput: 'Output',
  columnCost: 'Estimated cost',
  columnCacheSaved: 'Saved by cache reads',
  noPrice: 'no price known',
  costNote:
    'List prices from Anthropic’s pricing page (see docs/usage-dashboard.md); cache writes at the 5-minute rate.',
  showTable: 'Show as table',
} as const;

/** A key of the dashboard strings table. */
export type DashboardStringKey = keyof typeof ENGLISH_DASHBOARD_STRINGS;
/** The table the page gets: one text per key. */
export type DashboardStrings = Readonly<Record<DashboardStringKey, string>>;

const KEYS = Object.keys(ENGLISH_DASHBOARD_STRINGS) as DashboardStringKey[];
const MAX_CHARS = 2_000;

/** The table from the JSON the host put in the page: English for anything missing, empty, too long or invalid. */
export function dashboardStringsFromJson(json: string | null | undefined): DashboardStrings {
  let fields: Readonly<Record<string, unknown>> | undefined;
  try {
    fields = json ? record(JSON.parse(json)) : undefined;
  } catch {
    fields = undefined;
  }
  const table = {} as Record<DashboardStringKey, string>;
  for (const key of KEYS) table[key] = str(fields?.[key], MAX_CHARS, false) ?? ENGLISH_DASHBOARD_STRINGS[key];
  return table;
}

/** The text of `key` with its `{n}` placeholders filled. */
export function dashboardText(
  strings: DashboardStrings,
  key: DashboardStringKey,
  ...args: Array<string | number>
): string {
  return fillPlaceholders(strings[key], ...args);
}
