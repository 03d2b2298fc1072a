/** One minute of one key and model: what the dashboard's time series are made of. */
export interface MinuteRow {
  /** Start of the minute, ms since the epoch (a multiple of 60 000). */
  readonly minuteMs: number;
  readonly keyId: string;
  /** The model id as sent (prices are per model); its rate-limit class is derived from it. */
  readonly model: string;
  requests: number;
  /** Input tokens after the last cache breakpoint (`input_tokens`). */
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  status429: number;
  /** Requests that finished after waiting (queue, pacing, retry), and their waiting time in ms. */
  waits: number;
  waitMs: number;
}

/** The counters of a row, as added. */
export type MinuteCounters = Omit<MinuteRow, 'minuteMs' | 'keyId' | 'model'>;

/** How far back the timeline keeps minutes: the dashboard's longest window. */
export const TIMELINE_SPAN_MS = 24 * 60 * 60_000;
/** Rows kept at most (a runaway of keys × models must not grow storage without bound). */
const MAX_ROWS = 20_000;
const COUNTER_NAMES: ReadonlyArray<keyof MinuteCounters> = [
  'requests',
  'inputTokens',
  'cacheWriteTokens',
  'cacheReadTokens',
  'outputTokens',
  'status429',
  'waits',
  'waitMs',
];

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function isRow(v: unknown): v is MinuteRow {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    isCount(r['minuteMs']) &&
    r['minuteMs'] % 60_000 === 0 &&
    typeof r['keyId'] === 'string' &&
    typeof r['model'] === 'string' &&
    COUNTER_NAMES.every((k) => isCount(r[k]))
  );
}

/**
 * Usage per minute, key and model over the last day, for the dashboard's charts (the ledger keeps
 * only daily totals). Pure: the caller passes the time of each event and persists `toJSON()`.
 */
export class UsageTimeline {
  readonly #rows = new Map<string, MinuteRow>();

  /** Starts from persisted rows (invalid ones are dropped) or empty. */
  constructor(persisted?: unknown) {
    if (!Array.isArray(persisted)) return;
    for (const row of persisted.slice(-MAX_ROWS)) {
      if (isRow(row)) this.#rows.set(UsageTimeline.#id(row.minuteMs, row.keyId, row.model), { ...row });
    }
  }

  static #id(minuteMs: number, keyId: string, model: string): string {
    return `${minuteMs}\u0000${keyId}\u0000${model}`;
  }

  /** Adds to the row of the minute holding `atMs`; negative or non-finite amounts are ignored. */
  add(atMs: number, keyId: string, model: string, delta: Partial<MinuteCounters>): void {
    const minuteMs = Math.floor(atMs / 60_000) * 60_000;
    const id = UsageTimeline.#id(minuteMs, keyId, model);
    let row = this.#rows.get(id);
    if (!row) {
      row = { minuteMs, keyId, model, ...Object.fromEntries(COUNTER_NAMES.map((k) => [k, 0])) } as MinuteRow;
      this.#rows.set(id, row);
    }
    for (const k of COUNTER_NAMES) {
      const v = delta[k];
      if (v !== undefined && Number.isFinite(v) && v > 0) row[k] += v;
    }
  }

  /** Rows of minutes starting at or after `sinceMs`, oldest first. */
  rows(sinceMs: number): MinuteRow[] {
    return [...this.#rows.values()]
      .filter((r) => r.minuteMs >= sinceMs)
      .sort((a, b) => a.minuteMs - b.minuteMs);
  }

  /** Drops minutes older than a day before `nowMs`. */
  prune(nowMs: number): void {
    const oldest = Math.floor((nowMs - TIMELINE_SPAN_MS) / 60_000) * 60_000;
    for (const [id, row] of this.#rows) if (row.minuteMs < oldest) this.#rows.delete(id);
  }

  /** The persisted form: rows, oldest first. */
  toJSON(): MinuteRow[] {
    return this.rows(Number.NEGATIVE_INFINITY);
  }
}
