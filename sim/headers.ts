import { EPSILON, type TokenBucket } from './buckets';
import type { AnyLimiter, Limiter } from './rateLimiter';

/** Response headers as written by Node's `writeHead`. */
export type HeaderMap = Record<string, string>;

/** RFC 3339 in UTC, whole seconds truncated, e.g. `2026-01-01T00:00:05Z`. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

interface LimiterValues {
  readonly limit: number;
  readonly remaining: number;
  readonly resetMs: number;
}

function values(bucket: TokenBucket, nowMs: number, isTokens: boolean, isFailing: boolean): LimiterValues {
  const level = bucket.levelAt(nowMs);
  const positive = Math.max(0, level);
  // Requests are floored; tokens are rounded to the nearest thousand (spec §2.3). A failing limiter shows 0.
  const remaining = isFailing
    ? 0
    : isTokens
      ? Math.round(positive / 1000) * 1000
      : Math.floor(positive + EPSILON);
  const resetMs = nowMs + bucket.secondsUntil(bucket.capacity, nowMs) * 1000;
  return { limit: bucket.limit, remaining, resetMs };
}

function put(headers: HeaderMap, name: string, v: LimiterValues): void {
  headers[`anthropic-ratelimit-${name}-limit`] = String(v.limit);
  headers[`anthropic-ratelimit-${name}-remaining`] = String(v.remaining);
  headers[`anthropic-ratelimit-${name}-reset`] = rfc3339(v.resetMs);
}

/** The reported bucket of each Messages limiter, and the total-token bucket when a workspace sets one. */
export type ReportedBuckets = Readonly<Record<Limiter, TokenBucket>> & { readonly tokens?: TokenBucket };

/** The full `anthropic-ratelimit-{requests,input-tokens,output-tokens,tokens}-*` set at `nowMs`. */
export function rateLimitHeaders(buckets: ReportedBuckets, nowMs: number, failing?: AnyLimiter): HeaderMap {
  const headers: HeaderMap = {};
  const requests = values(buckets.requests, nowMs, false, failing === 'requests');
  const input = values(buckets.input, nowMs, true, failing === 'input');
  const output = values(buckets.output, nowMs, true, failing === 'output');
  put(headers, 'requests', requests);
  put(headers, 'input-tokens', input);
  put(headers, 'output-tokens', output);
  // tokens-* is "the most restrictive limit currently in effect": a workspace's total-token limit when it
  // sets one, else input + output with the earlier of their resets (spec §10).
  put(
    headers,
    'tokens',
    buckets.tokens
      ? values(buckets.tokens, nowMs, true, failing === 'tokens')
      : {
          limit: input.limit + output.limit,
          remaining: input.remaining + output.remaining,
          resetMs: Math.min(input.resetMs, output.resetMs),
        },
  );
  return headers;
}

/** Only `anthropic-ratelimit-requests-*`, for the count_tokens pool. */
export function requestsOnlyHeaders(bucket: TokenBucket, nowMs: number, isFailing: boolean): HeaderMap {
  const headers: HeaderMap = {};
  put(headers, 'requests', values(bucket, nowMs, false, isFailing));
  return headers;
}

/** Nonsense in every rate-limit header (the `garbage_rate_limit_headers` fault). */
export function garbageRateLimitHeaders(): HeaderMap {
  return {
    'anthropic-ratelimit-requests-limit': 'many',
    'anthropic-ratelimit-requests-remaining': '-12.5x',
    'anthropic-ratelimit-requests-reset': 'tomorrow-ish',
    'anthropic-ratelimit-input-tokens-limit': 'NaN',
    'anthropic-ratelimit-input-tokens-remaining': '1e999',
    'anthropic-ratelimit-input-tokens-reset': '2026-13-45T99:99:99Z',
    'anthropic-ratelimit-output-tokens-limit': '-1',
    'anthropic-ratelimit-output-tokens-remaining': 'null',
    'anthropic-ratelimit-output-tokens-reset': '0',
    'anthropic-ratelimit-tokens-limit': 'Infinity',
    'anthropic-ratelimit-tokens-remaining': '',
    'anthropic-ratelimit-tokens-reset': 'yesterday',
  };
}

/** Removes every `anthropic-ratelimit-*` header (the `missing_rate_limit_headers` fault). */
export function withoutRateLimitHeaders(headers: HeaderMap): HeaderMap {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.startsWith('anthropic-ratelimit-')),
  );
}
