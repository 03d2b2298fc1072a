import type { Cost } from '../limits/cost';
import { DIMENSIONS, type Dimension } from '../limits/dimensions';
import { ROUNDING_SLACK } from '../limits/poolSettings';
import type { RateLimitReport } from '../limits/rateLimitHeaders';
import type { AttemptError } from '../transport';

/** What the scheduler does after a failed attempt (output not yet delivered). */
export type FailureAction =
  /**
   * 429: the request keeps its place and waits `coolMs` (the server's retry-after, else the failing
   * limit's reset); `dimension` is the limit that refused it, undefined when neither the message nor
   * the headers say which.
   */
  | {
      readonly kind: 'cool_pool';
      readonly dimension?: Dimension;
      readonly coolMs?: number;
      readonly isRamp: boolean;
    }
  /** 529/5xx/network: wait a backoff then retry the same request. */
  | { readonly kind: 'backoff'; readonly isOverload: boolean }
  /** 401/403: take the key out, try another. */
  | { readonly kind: 'quarantine_key' }
  /** An edge-level 403 ("Request not allowed") that clears by itself: rest the key, retry with backoff. */
  | { readonly kind: 'cool_key' }
  /** Spend cap or billing: the organization is blocked; try another organization's key. */
  | { readonly kind: 'block_org'; readonly block: 'spend_limit' | 'billing'; readonly resumesAtMs?: number }
  /** 400/404/413 and `x-should-retry: false`: fail now with the server's message. */
  | { readonly kind: 'fail' }
  | { readonly kind: 'cancelled' };

const SELF_SET_LIMIT = /^You have reached your specified (workspace )?API usage limits/i;
// Still a 400 invalid_request_error in 2026 traffic (not 402): final for the organization.
const CREDIT_TOO_LOW = /credit balance is too low/i;
const OVERLOADED = /overloaded/i;
const RESUME_DATE = /regain access on (\d{4}-\d{2}-\d{2})(?: at (\d{2}:\d{2}) UTC)?/i;

/** The date a spend-cap message says access resumes ("You will regain access on 2026-09-01 at 00:00 UTC"). */
export function resumeDateOf(message: string): number | undefined {
  const match = RESUME_DATE.exec(message);
  if (!match) return undefined;
  const at = Date.parse(`${match[1]}T${match[2] ?? '00:00'}:00Z`);
  return Number.isFinite(at) ? at : undefined;
}

/** True for a 429 that throttled (a rate or ramp limit), not a spend cap. */
export function isRateLimitError(error: AttemptError | undefined): boolean {
  return error?.kind === 'rate_limited' || error?.kind === 'ramp_limited';
}

/** Limits a 429's wording can name, most specific first (real wordings vary; see the API notes §10). */
const NAMED_LIMITS: ReadonlyArray<readonly [RegExp, Dimension]> = [
  [/input tokens/, 'inputTokens'],
  [/output tokens/, 'outputTokens'],
  // "Number of request tokens has exceeded your per-minute rate limit": tokens of the request, i.e. input.
  [/request tokens/, 'inputTokens'],
  [/\brequests\b/, 'requests'],
  // "…rate limit of 30,000 tokens per minute": a total-tokens (Workspace) limit.
  [/\btokens\b/, 'tokens'],
];

/**
 * Which limit a 429 refused on: named in its message, else the dimension whose `remaining` is
 * shortest of the request's cost in the headers, else undefined ("Rate limited" with no headers
 * says nothing, and must not be blamed on requests). A token count is rounded to the thousand: a
 * request of 3,994 tokens refused with "4,000" remaining found at most 4,499 and maybe 3,500, so
 * the least the reading allows is what is compared (else a burst-sized request refused this way
 * was blamed on nothing, and the pool never learned which bucket was short).
 */
export function exceededDimension(
  error: AttemptError,
  report: RateLimitReport,
  cost?: Cost,
): Dimension | undefined {
  const text = error.message.toLowerCase();
  for (const [pattern, dimension] of NAMED_LIMITS) if (pattern.test(text)) return dimension;
  let shortest: Dimension | undefined;
  let shortestRatio = 1;
  for (const d of DIMENSIONS) {
    const remaining = report.dimensions[d]?.remaining;
    if (remaining === undefined) continue;
    const ratio = (remaining - ROUNDING_SLACK[d]) / Math.max(1, cost?.[d] ?? 1);
    if (ratio < shortestRatio) [shortest, shortestRatio] = [d, ratio];
  }
  return shortest;
}

/**
 * Decides the reaction to a failed attempt that delivered no output. Pure: the scheduler applies it.
 * Retry-after on a 429 comes from the header, else the failing dimension's reset, else backoff.
 */
export function decideFailure(
  error: AttemptError,
  report: RateLimitReport,
  nowMs: number,
  cost?: Cost,
): FailureAction {
  switch (error.kind) {
    case 'aborted':
      return { kind: 'cancelled' };
    case 'spend_limit': {
      const resumesAtMs = resumeDateOf(error.message);
      return {
        kind: 'block_org',
        block: 'spend_limit',
        ...(resumesAtMs !== undefined ? { resumesAtMs } : {}),
      };
    }
    case 'billing':
      return { kind: 'block_org', block: 'billing' };
    case 'rate_limited':
    case 'ramp_limited': {
      const dimension = exceededDimension(error, report, cost);
      const resetAt = dimension === undefined ? undefined : report.dimensions[dimension]?.resetAtMs;
      const coolMs =
        report.retryAfterMs ?? (resetAt !== undefined && resetAt > nowMs ? resetAt - nowMs : undefined);
      return {
        kind: 'cool_pool',
        isRamp: error.kind === 'ramp_limited',
        ...(dimension !== undefined ? { dimension } : {}),
        ...(coolMs !== undefined ? { coolMs } : {}),
      };
    }
    case 'auth':
      return { kind: 'quarantine_key' };
    case 'permission':
      // The edge's {"type":"forbidden","message":"Request not allowed"} clears by itself; permission_error does not.
      return error.type === 'forbidden' ? { kind: 'cool_key' } : { kind: 'quarantine_key' };
    case 'invalid_request':
      if (SELF_SET_LIMIT.test(error.message)) return { kind: 'block_org', block: 'spend_limit' };
      if (CREDIT_TOO_LOW.test(error.message)) return { kind: 'block_org', block: 'billing' };
      return { kind: 'fail' };
    case 'not_found':
    case 'too_large':
    case 'insecure_endpoint':
    case 'redirected':
    case 'endpoint_not_approved':
      return { kind: 'fail' };
    case 'overloaded':
    case 'server_error':
    case 'gateway_timeout':
    case 'connection':
    case 'timeout':
    case 'malformed_response':
      // The server may say a transient-looking failure must not be retried.
      if (report.shouldRetry === false && error.status !== undefined) return { kind: 'fail' };
      // A 500 api_error whose message is "Overloaded" is an overload too (it feeds the fallback model).
      return {
        kind: 'backoff',
        isOverload:
          error.kind === 'overloaded' || (error.kind === 'server_error' && OVERLOADED.test(error.message)),
      };
  }
}
