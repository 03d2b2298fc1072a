import { cacheReadsCountFor, modelClassOf, type SchedulerSnapshot } from '../../pacer/index';
import type { CacheSavings, ClassSeries } from './dashboardProtocol';
import type { MinuteRow } from './usageTimeline';

export type { CacheSavings, ClassSeries } from './dashboardProtocol';

/** The dashboard's two windows: the last hour by minute, the last day by hour. */
export type SeriesWindow = 'hour' | 'day';

/** Input and output tokens-per-minute limits of a model class. */
export interface ClassLimits {
  readonly inputPerMinute?: number;
  readonly outputPerMinute?: number;
}

const BUCKET_MS: Record<SeriesWindow, number> = { hour: 60_000, day: 3_600_000 };
const BUCKETS: Record<SeriesWindow, number> = { hour: 60, day: 24 };

/** Tokens a row counts against the input-token limit (the docs' ITPM rule). */
export function itpmTokens(
  row: Pick<MinuteRow, 'inputTokens' | 'cacheWriteTokens' | 'cacheReadTokens'>,
  modelClass: string,
): number {
  return row.inputTokens + row.cacheWriteTokens + (cacheReadsCountFor(modelClass) ? row.cacheReadTokens : 0);
}

/**
 * Per model class, tokens per minute in each bucket of `window` ending with the bucket that holds
 * `nowMs` (hour: 60 one-minute buckets; day: 24 one-hour buckets, averaged per minute). Classes
 * are sorted by name; a class with no rows in the window is left out.
 */
export function tokenSeries(
  rows: readonly MinuteRow[],
  nowMs: number,
  window: SeriesWindow,
  limits: ReadonlyMap<string, ClassLimits>,
): ClassSeries[] {
  const bucketMs = BUCKET_MS[window];
  const count = BUCKETS[window];
  const lastStart = Math.floor(nowMs / bucketMs) * bucketMs;
  const firstStart = lastStart - (count - 1) * bucketMs;
  const startsMs = Array.from({ length: count }, (_, i) => firstStart + i * bucketMs);
  const perClass = new Map<string, { input: number[]; output: number[] }>();
  for (const row of rows) {
    if (row.minuteMs < firstStart || row.minuteMs >= lastStart + bucketMs) continue;
    const modelClass = modelClassOf(row.model);
    let sums = perClass.get(modelClass);
    if (!sums) {
      sums = { input: new Array<number>(count).fill(0), output: new Array<number>(count).fill(0) };
      perClass.set(modelClass, sums);
    }
    const i = Math.floor((row.minuteMs - firstStart) / bucketMs);
    sums.input[i]! += itpmTokens(row, modelClass);
    sums.output[i]! += row.outputTokens;
  }
  const minutesPerBucket = bucketMs / 60_000;
  return [...perClass.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([modelClass, sums]) => {
      const limit = limits.get(modelClass);
      return {
        modelClass,
        startsMs,
        inputPerMinute: sums.input.map((v) => v / minutesPerBucket),
        outputPerMinute: sums.output.map((v) => v / minutesPerBucket),
        ...(limit?.inputPerMinute !== undefined ? { inputLimit: limit.inputPerMinute } : {}),
        ...(limit?.outputPerMinute !== undefined ? { outputLimit: limit.outputPerMinute } : {}),
      };
    });
}

/**
 * Each model class's known input and output limits from the scheduler snapshot: summed over its
 * pools, since each organization's pool is a limit of its own that the scheduler can spend.
 */
export function limitsByClass(snapshot: Pick<SchedulerSnapshot, 'pools'>): Map<string, ClassLimits> {
  const out = new Map<string, { inputPerMinute?: number; outputPerMinute?: number }>();
  for (const pool of snapshot.pools) {
    const entry = out.get(pool.modelClass) ?? {};
    const input = pool.dimensions.inputTokens.limit;
    const output = pool.dimensions.outputTokens.limit;
    if (input !== undefined) entry.inputPerMinute = (entry.inputPerMinute ?? 0) + input;
    if (output !== undefined) entry.outputPerMinute = (entry.outputPerMinute ?? 0) + output;
    out.set(pool.modelClass, entry);
  }
  return out;
}

/** Waits and 429s of one key and model class over a window. */
export interface KeyClassWaits {
  readonly keyId: string;
  readonly modelClass: string;
  readonly requests: number;
  readonly waits: number;
  readonly waitMs: number;
  readonly status429: number;
}

/** Per key and model class, requests, waits and 429s of the rows at or after `sinceMs`, sorted by key then class. */
export function waitsByKeyAndClass(rows: readonly MinuteRow[], sinceMs: number): KeyClassWaits[] {
  const sums = new Map<
    string,
    { keyId: string; modelClass: string; requests: number; waits: number; waitMs: number; status429: number }
  >();
  for (const row of rows) {
    if (row.minuteMs < sinceMs) continue;
    const modelClass = modelClassOf(row.model);
    const id = `${row.keyId}\u0000${modelClass}`;
    const sum = sums.get(id) ?? {
      keyId: row.keyId,
      modelClass,
      requests: 0,
      waits: 0,
      waitMs: 0,
      status429: 0,
    };
    sum.requests += row.requests;
    sum.waits += row.waits;
    sum.waitMs += row.waitMs;
    sum.status429 += row.status429;
    sums.set(id, sum);
  }
  return [...sums.values()].sort(
    (a, b) => a.keyId.localeCompare(b.keyId) || a.modelClass.localeCompare(b.modelClass),
  );
}

/** Per model class, cache reads at or after `sinceMs` and what they saved against the input limit. */
export function cacheSavings(rows: readonly MinuteRow[], sinceMs: number): CacheSavings[] {
  const sums = new Map<string, { cacheReadTokens: number; itpmTokensCounted: number }>();
  for (const row of rows) {
    if (row.minuteMs < sinceMs) continue;
    const modelClass = modelClassOf(row.model);
    const sum = sums.get(modelClass) ?? { cacheReadTokens: 0, itpmTokensCounted: 0 };
    sum.cacheReadTokens += row.cacheReadTokens;
    sum.itpmTokensCounted += itpmTokens(row, modelClass);
    sums.set(modelClass, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([modelClass, s]) => ({
      modelClass,
      cacheReadTokens: s.cacheReadTokens,
      itpmTokensSaved: cacheReadsCountFor(modelClass) ? 0 : s.cacheReadTokens,
      itpmTokensCounted: s.itpmTokensCounted,
    }));
}
