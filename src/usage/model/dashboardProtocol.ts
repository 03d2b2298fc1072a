/**
 * Messages between the usage dashboard page and its host, and their validators. Each side
 * validates what it receives: a message that does not fit is ignored, never half-applied.
 */
import { count, listOf, oneOf, record, str } from '../../chat/model/protocolFields';
import type { ModelCost } from './priceTable';

/** Tokens per minute of one model class over one window, with its limits when known. */
export interface ClassSeries {
  readonly modelClass: string;
  /** Start of each bucket, ms since the epoch, oldest first. */
  readonly startsMs: number[];
  /** Input tokens per minute as the input limit counts them (cache reads only for † classes). */
  readonly inputPerMinute: number[];
  readonly outputPerMinute: number[];
  readonly inputLimit?: number;
  readonly outputLimit?: number;
}

/** Cache reads of one model class over a window and the input-limit tokens they did not spend. */
export interface CacheSavings {
  readonly modelClass: string;
  readonly cacheReadTokens: number;
  /** Tokens that would have counted against the input limit without the cache (0 for † classes, whose reads count anyway). */
  readonly itpmTokensSaved: number;
  /** Input-limit tokens actually counted, for the share saved. */
  readonly itpmTokensCounted: number;
}

/** Waits and 429s of one key (as the UI shows it: label and last four) and model class. */
export interface KeyClassRow {
  readonly key: string;
  readonly modelClass: string;
  readonly requests: number;
  readonly waits: number;
  readonly waitMs: number;
  readonly status429: number;
}

/** Everything the dashboard shows, computed on the host. */
export interface DashboardData {
  readonly generatedAtMs: number;
  /** Time at the limit today, the open episode included: the same figure as the Markdown report. */
  readonly atLimitTodayMs: number;
  /** Waiting time of requests finished today (not streaming): the same figure as the report's rows. */
  readonly waitTodayMs: number;
  readonly hour: readonly ClassSeries[];
  readonly day: readonly ClassSeries[];
  /** Last 24 hours. */
  readonly waits: readonly KeyClassRow[];
  readonly cache: readonly CacheSavings[];
  readonly costs: readonly ModelCost[];
}

/** Host → page. */
export type HostToDashboard = { readonly type: 'data'; readonly data: DashboardData };

/** Page → host: the page is ready for data, or the user asked for the Markdown report. */
export type DashboardToHost = { readonly type: 'ready' | 'copyMarkdown' | 'openMarkdown' };

const PAGE_MESSAGE_TYPES = ['ready', 'copyMarkdown', 'openMarkdown'] as const;
const MAX_ROWS = 500;
const MAX_NAME_CHARS = 200;

/** A page message, or undefined for anything else (extra fields are dropped). */
export function parseDashboardMessage(raw: unknown): DashboardToHost | undefined {
  const type = oneOf(record(raw)?.['type'], PAGE_MESSAGE_TYPES);
  return type === undefined ? undefined : { type };
}

function numbers(value: unknown, max: number): number[] | undefined {
  return listOf(value, max, count);
}

/** An instant in ms since the epoch (above {@link count}'s ceiling, so checked apart). */
function instant(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e15
    ? value
    : undefined;
}

function optionalCount(
  fields: Readonly<Record<string, unknown>>,
  name: string,
): { ok: boolean; value?: number } {
  if (fields[name] === undefined) return { ok: true };
  const value = count(fields[name]);
  return value === undefined ? { ok: false } : { ok: true, value };
}

function classSeries(value: unknown): ClassSeries | undefined {
  const f = record(value);
  if (!f) return undefined;
  const modelClass = str(f['modelClass'], MAX_NAME_CHARS, false);
  const startsMs = listOf(f['startsMs'], 60, instant);
  const inputPerMinute = numbers(f['inputPerMinute'], 60);
  const outputPerMinute = numbers(f['outputPerMinute'], 60);
  const inputLimit = optionalCount(f, 'inputLimit');
  const outputLimit = optionalCount(f, 'outputLimit');
  if (modelClass === undefined || !startsMs || !inputPerMinute || !outputPerMinute) return undefined;
  if (inputPerMinute.length !== startsMs.length || outputPerMinute.length !== startsMs.length)
    return undefined;
  if (!inputLimit.ok || !outputLimit.ok) return undefined;
  return {
    modelClass,
    startsMs,
    inputPerMinute,
    outputPerMinute,
    ...(inputLimit.value !== undefined ? { inputLimit: inputLimit.value } : {}),
    ...(outputLimit.value !== undefined ? { outputLimit: outputLimit.value } : {}),
  };
}

/** Reads the named counts of a record; undefined when any is missing or invalid. */
function counts<K extends string>(
  f: Readonly<Record<string, unknown>>,
  names: readonly K[],
): Record<K, number> | undefined {
  const out = {} as Record<K, number>;
  for (const name of names) {
    const v = count(f[name]);
    if (v === undefined) return undefined;
    out[name] = v;
  }
  return out;
}

function keyClassRow(value: unknown): KeyClassRow | undefined {
  const f = record(value);
  const key = str(f?.['key'], MAX_NAME_CHARS, false);
  const modelClass = str(f?.['modelClass'], MAX_NAME_CHARS, false);
  const n = f && counts(f, ['requests', 'waits', 'waitMs', 'status429'] as const);
  return key === undefined || modelClass === undefined || !n ? undefined : { key, modelClass, ...n };
}

function cacheRow(value: unknown): CacheSavings | undefined {
  const f = record(value);
  const modelClass = str(f?.['modelClass'], MAX_NAME_CHARS, false);
  const n = f && counts(f, ['cacheReadTokens', 'itpmTokensSaved', 'itpmTokensCounted'] as const);
  return modelClass === undefined || !n ? undefined : { modelClass, ...n };
}

function costRow(value: unknown): ModelCost | undefined {
  const f = record(value);
  const model = str(f?.['model'], MAX_NAME_CHARS, false);
  const n = f && counts(f, ['inputTokens', 'cacheWriteTokens', 'cacheReadTokens', 'outputTokens'] as const);
  if (!f || model === undefined || !n) return undefined;
  const cost = optionalCount(f, 'costUsd');
  const saved = optionalCount(f, 'cacheSavedUsd');
  if (!cost.ok || !saved.ok) return undefined;
  return {
    model,
    ...n,
    ...(cost.value !== undefined ? { costUsd: cost.value } : {}),
    ...(saved.value !== undefined ? { cacheSavedUsd: saved.value } : {}),
  };
}

/** A host message, or undefined when anything in it is off. */
export function parseHostToDashboard(raw: unknown): HostToDashboard | undefined {
  const f = record(raw);
  if (f?.['type'] !== 'data') return undefined;
  const d = record(f['data']);
  if (!d) return undefined;
  const generatedAtMs = instant(d['generatedAtMs']);
  const totals = counts(d, ['atLimitTodayMs', 'waitTodayMs'] as const);
  const hour = listOf(d['hour'], MAX_ROWS, classSeries);
  const day = listOf(d['day'], MAX_ROWS, classSeries);
  const waits = listOf(d['waits'], MAX_ROWS, keyClassRow);
  const cache = listOf(d['cache'], MAX_ROWS, cacheRow);
  const costs = listOf(d['costs'], MAX_ROWS, costRow);
  if (generatedAtMs === undefined || !totals || !hour || !day || !waits || !cache || !costs) return undefined;
  return { type: 'data', data: { generatedAtMs, ...totals, hour, day, waits, cache, costs } };
}
