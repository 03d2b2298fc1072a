/** Counters of one (day, key, model class). */
export interface UsageCounters {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  status429: number;
  status529: number;
  /** Time requests spent queued or waiting to retry, ms. */
  waitMs: number;
}

/** A key as usage shows it: never the secret, only label and last four characters. */
export interface UsageKey {
  readonly keyId: string;
  readonly label: string;
  readonly last4: string;
}

/** What a request was for: inline completions are counted apart from everything else. */
export type UsageCategory = 'requests' | 'completions';

/** Persisted form (versioned; validated on load). */
export interface UsageData {
  readonly version: 1;
  /** day (YYYY-MM-DD, local) → `${keyId}\u0000${modelClass}`, plus `\u0000completions` for completions → counters */
  readonly days: Record<string, Record<string, UsageCounters>>;
  /** day → ms during which the client was at its limit (requests waiting for quota). */
  readonly atLimitMs: Record<string, number>;
  readonly keys: Record<string, { label: string; last4: string }>;
}

/** Days kept. */
export const USAGE_DAYS = 7;

function zero(): UsageCounters {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    status429: 0,
    status529: 0,
    waitMs: 0,
  };
}

function isCounters(v: unknown): v is UsageCounters {
  if (typeof v !== 'object' || v === null) return false;
  return (
    [
      'requests',
      'inputTokens',
      'outputTokens',
      'cacheReadTokens',
      'status429',
      'status529',
      'waitMs',
    ] as const
  ).every(
    (k) =>
      typeof (v as Record<string, unknown>)[k] === 'number' &&
      Number.isFinite((v as Record<string, number>)[k]) &&
      (v as Record<string, number>)[k]! >= 0,
  );
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// Rows without a category segment are 'requests', so data persisted before categories stays valid.
function rowId(keyId: string, modelClass: string, category: UsageCategory): string {
  return category === 'requests'
    ? `${keyId}\u0000${modelClass}`
    : `${keyId}\u0000${modelClass}\u0000${category}`;
}

function parseRowId(id: string): { keyId: string; modelClass: string; category: UsageCategory } {
  const [keyId = '', modelClass = '', category] = id.split('\u0000');
  return { keyId, modelClass, category: category === 'completions' ? 'completions' : 'requests' };
}

/**
 * Requests, tokens, 429s/529s and waiting time per day, key and model class, for "Show Usage" and
 * daily budgets. Pure: the caller supplies the local day of each event and persists `toJSON()`.
 */
export class UsageLedger {
  #data: UsageData;

  /** Starts from persisted data (invalid parts are dropped) or empty. */
  constructor(persisted?: unknown) {
    this.#data = UsageLedger.#validate(persisted);
  }

  static #validate(raw: unknown): UsageData {
    const empty: UsageData = { version: 1, days: {}, atLimitMs: {}, keys: {} };
    if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return empty;
    const r = raw as Partial<UsageData>;
    const days: UsageData['days'] = {};
    for (const [day, rows] of Object.entries(r.days ?? {})) {
      if (!DAY.test(day) || typeof rows !== 'object' || rows === null) continue;
      days[day] = Object.fromEntries(Object.entries(rows).filter(([, c]) => isCounters(c)));
    }
    const atLimitMs = Object.fromEntries(
      Object.entries(r.atLimitMs ?? {}).filter(
        ([d, v]) => DAY.test(d) && typeof v === 'number' && Number.isFinite(v) && v >= 0,
      ),
    );
    const keys = Object.fromEntries(
      Object.entries(r.keys ?? {}).filter(
        ([, v]) =>
          typeof v === 'object' &&
          v !== null &&
          typeof v.label === 'string' &&
          typeof v.last4 === 'string' &&
          v.last4.length <= 4,
      ),
    );
    return { version: 1, days, atLimitMs, keys };
  }

  /** Adds to the counters of (day, key, model class, category). */
  add(
    day: string,
    key: UsageKey,
    modelClass: string,
    delta: Partial<UsageCounters>,
    category: UsageCategory = 'requests',
  ): void {
    const rows = (this.#data.days[day] ??= {});
    const row = (rows[rowId(key.keyId, modelClass, category)] ??= zero());
    for (const [k, v] of Object.entries(delta) as Array<[keyof UsageCounters, number]>) {
      if (Number.isFinite(v) && v > 0) row[k] += v;
    }
    this.#data.keys[key.keyId] = { label: key.label, last4: key.last4.slice(-4) };
  }

  /** Adds time spent at the limit on `day`. */
  addAtLimit(day: string, ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.#data.atLimitMs[day] = (this.#data.atLimitMs[day] ?? 0) + ms;
  }

  /** A key's totals on one day (for daily budgets): requests and input + output tokens, of one category or all. */
  dayTotals(day: string, keyId: string, category?: UsageCategory): { requests: number; tokens: number } {
    let requests = 0;
    let tokens = 0;
    for (const [id, c] of Object.entries(this.#data.days[day] ?? {})) {
      const row = parseRowId(id);
      if (row.keyId !== keyId || (category !== undefined && row.category !== category)) continue;
      requests += c.requests;
      tokens += c.inputTokens + c.outputTokens;
    }
    return { requests, tokens };
  }

  /** Rows per key, model class and category for `days` (newest last), summed. */
  summary(
    days: readonly string[],
  ): Array<UsageKey & { modelClass: string; category: UsageCategory; counters: UsageCounters }> {
    const sums = new Map<string, UsageCounters>();
    for (const day of days) {
      for (const [id, c] of Object.entries(this.#data.days[day] ?? {})) {
        const sum = sums.get(id) ?? zero();
        for (const k of Object.keys(sum) as Array<keyof UsageCounters>) sum[k] += c[k];
        sums.set(id, sum);
      }
    }
    return [...sums.entries()].map(([id, counters]) => {
      const { keyId, modelClass, category } = parseRowId(id);
      const key = this.#data.keys[keyId] ?? { label: keyId, last4: '????' };
      return { keyId, label: key.label, last4: key.last4, modelClass, category, counters };
    });
  }

  /** Time at the limit over `days`. */
  atLimitMs(days: readonly string[]): number {
    return days.reduce((sum, d) => sum + (this.#data.atLimitMs[d] ?? 0), 0);
  }

  /** Drops days older than the last `USAGE_DAYS` ending at `today`. */
  prune(keepDays: readonly string[]): void {
    const keep = new Set(keepDays);
    for (const day of Object.keys(this.#data.days)) if (!keep.has(day)) delete this.#data.days[day];
    for (const day of Object.keys(this.#data.atLimitMs)) if (!keep.has(day)) delete this.#data.atLimitMs[day];
  }

  /** The persisted form. */
  toJSON(): UsageData {
    return this.#data;
  }
}

/** Local calendar day `YYYY-MM-DD` of an instant, given the local offset in minutes (Date#getTimezoneOffset). */
export function localDay(ms: number, timezoneOffsetMinutes: number): string {
  return new Date(ms - timezoneOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The last `count` local days ending with the one containing `ms`, oldest first. */
export function lastDays(ms: number, timezoneOffsetMinutes: number, count = USAGE_DAYS): string[] {
  return Array.from({ length: count }, (_, i) =>
    localDay(ms - (count - 1 - i) * 86_400_000, timezoneOffsetMinutes),
  );
}

/** The next local midnight after `ms`. */
export function nextLocalMidnight(ms: number, timezoneOffsetMinutes: number): number {
  const local = ms - timezoneOffsetMinutes * 60_000;
  const midnightLocal = Math.floor(local / 86_400_000) * 86_400_000 + 86_400_000;
  return midnightLocal + timezoneOffsetMinutes * 60_000;
}

/** A daily budget for one key; undefined fields are unlimited. */
export interface DailyBudget {
  readonly requestsPerDay?: number;
  readonly tokensPerDay?: number;
}

/** Why a key is over its budget today, or undefined. */
export function budgetExceeded(
  totals: { requests: number; tokens: number },
  budget: DailyBudget | undefined,
): string | undefined {
  if (!budget) return undefined;
  if (budget.requestsPerDay !== undefined && totals.requests >= budget.requestsPerDay)
    return `${budget.requestsPerDay.toLocaleString('en-US')} requests per day`;
  if (budget.tokensPerDay !== undefined && totals.tokens >= budget.tokensPerDay)
    return `${budget.tokensPerDay.toLocaleString('en-US')} tokens per day`;
  return undefined;
}
