import type { HeaderReader } from '../transport';
import { parseRetryAfterMs } from '../retry/retryAfter';
import { DIMENSION_HEADER_NAMES, DIMENSIONS, type Dimension } from './dimensions';

/** One dimension's state as a response reported it; each field only when it parsed cleanly. */
export interface DimensionReport {
  readonly limit?: number;
  readonly remaining?: number;
  /** Epoch ms at which the bucket is full again, translated to the local clock (never in the past). */
  readonly resetAtMs?: number;
}

/** Everything pacing-related a response's headers say. */
export interface RateLimitReport {
  readonly dimensions: Readonly<Partial<Record<Dimension, DimensionReport>>>;
  readonly retryAfterMs?: number;
  readonly organizationId?: string;
  /** `x-should-retry`, when it is exactly true or false. */
  readonly shouldRetry?: boolean;
  /** True when at least one rate-limit header parsed. */
  readonly hasRateLimitHeaders: boolean;
  /** The server's time of the response (its `date`, whole seconds), when it parsed. */
  readonly serverDateMs?: number;
}

/** Largest limit or remaining value we accept (above any published tier by far). */
const MAX_COUNT = 1e12;
/** A reset further than this from now is garbage (buckets refill within a minute, or a window). */
const MAX_RESET_AHEAD_MS = 24 * 3_600_000;

function readHeader(headers: HeaderReader, name: string): string | undefined {
  try {
    const value = headers.get(name);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d{1,13}(\.\d+)?\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= MAX_COUNT ? n : undefined;
}

/** RFC 3339 only (what the API sends); lenient Date.parse would accept nonsense like "1". */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseReset(value: string | undefined, nowMs: number, serverSkewMs: number): number | undefined {
  if (value === undefined || !RFC3339.test(value.trim())) return undefined;
  const at = Date.parse(value.trim());
  if (!Number.isFinite(at)) return undefined;
  const local = at - serverSkewMs;
  if (local > nowMs + MAX_RESET_AHEAD_MS) return undefined;
  return Math.max(nowMs, local);
}

/**
 * How far the server's clock is ahead of ours, from its `date` header (1 s resolution). Used so
 * `-reset` times are read relative to the server's own clock; 0 when absent or implausible.
 */
function serverDateMs(headers: HeaderReader): number | undefined {
  const date = readHeader(headers, 'date');
  const at = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isFinite(at) ? at : undefined;
}

function serverSkewMs(headers: HeaderReader, nowMs: number): number {
  const at = serverDateMs(headers);
  if (at === undefined) return 0;
  const skew = at - nowMs;
  // The date header is truncated to the second; ignore sub-second noise and absurd clocks.
  return Math.abs(skew) < 1500 || Math.abs(skew) > MAX_RESET_AHEAD_MS ? 0 : skew;
}

/**
 * Without a Workspace limit `tokens-*` is input + output added up (spec §10). Pacing input and output
 * already covers it; as a bucket of its own it would refill the output share that output's own full
 * bucket spills, and read that as another client's draw.
 */
function isSumOfInputAndOutput(d: Partial<Record<Dimension, DimensionReport>>): boolean {
  const input = d.inputTokens?.limit;
  const output = d.outputTokens?.limit;
  return input !== undefined && output !== undefined && d.tokens?.limit === input + output;
}

/**
 * Parses the `anthropic-ratelimit-*`, `retry-after`, `x-should-retry` and
 * `anthropic-organization-id` headers. Total: any input yields a report; malformed, negative,
 * NaN, huge or past values are dropped, never propagated.
 */
export function parseRateLimitHeaders(headers: HeaderReader | undefined, nowMs: number): RateLimitReport {
  if (headers === undefined) return { dimensions: {}, hasRateLimitHeaders: false };
  const skew = serverSkewMs(headers, nowMs);
  const dimensions: Partial<Record<Dimension, DimensionReport>> = {};
  let hasRateLimitHeaders = false;
  for (const dimension of DIMENSIONS) {
    const base = `anthropic-ratelimit-${DIMENSION_HEADER_NAMES[dimension]}`;
    const limit = parseCount(readHeader(headers, `${base}-limit`));
    const remainingRaw = parseCount(readHeader(headers, `${base}-remaining`));
    const resetAtMs = parseReset(readHeader(headers, `${base}-reset`), nowMs, skew);
    const usableLimit = limit !== undefined && limit > 0 ? limit : undefined;
    const remaining =
      remainingRaw === undefined
        ? undefined
        : Math.min(remainingRaw, usableLimit ?? Number.POSITIVE_INFINITY);
    if (usableLimit === undefined && remaining === undefined && resetAtMs === undefined) continue;
    hasRateLimitHeaders = true;
    dimensions[dimension] = {
      ...(usableLimit !== undefined ? { limit: usableLimit } : {}),
      ...(remaining !== undefined ? { remaining } : {}),
      ...(resetAtMs !== undefined ? { resetAtMs } : {}),
    };
  }
  if (isSumOfInputAndOutput(dimensions)) delete dimensions.tokens;
  const retryAfterMs = parseRetryAfterMs(readHeader(headers, 'retry-after'), nowMs);
  const orgRaw = readHeader(headers, 'anthropic-organization-id')?.trim();
  const organizationId = orgRaw !== undefined && /^[A-Za-z0-9_-]{1,128}$/.test(orgRaw) ? orgRaw : undefined;
  const shouldRetryRaw = readHeader(headers, 'x-should-retry')?.trim().toLowerCase();
  const shouldRetry = shouldRetryRaw === 'true' ? true : shouldRetryRaw === 'false' ? false : undefined;
  const dateMs = serverDateMs(headers);
  return {
    dimensions,
    hasRateLimitHeaders,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(organizationId !== undefined ? { organizationId } : {}),
    ...(shouldRetry !== undefined ? { shouldRetry } : {}),
    ...(dateMs !== undefined ? { serverDateMs: dateMs } : {}),
  };
}
