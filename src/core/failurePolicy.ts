import { DIMENSIONS, type Dimension, type RateLimitReport } from './rateLimitHeaders';
import type { AttemptError } from './transport';

/** What the scheduler does after a failed attempt (output not yet delivered). */
export type FailureAction =
  /** 429: the pool cools down; the request keeps its place. `refund`: the server counted nothing. */
  | {
      readonly kind: 'cool_pool';
      readonly dimension: Dimension;
      readonly coolMs?: number;
      readonly isRamp: boolean;
    }
  /** 529/5xx/network: wait a backoff then retry the same request. */
  | { readonly kind: 'backoff'; readonly isOverload: boolean }
  /** 401/403: take the key out, try another. */
  | { readonly kind: 'quarantine_key' }
  /** Spend cap or billing: the organization is blocked; try another organization's key. */
  | { readonly kind: 'block_org'; readonly block: 'spend_limit' | 'billing'; readonly resumesAtMs?: number }
  /** 400/404/413 and `x-should-retry: false`: fail now with the server's message. */
  | { readonly kind: 'fail' }
  | { readonly kind: 'cancelled' };

const SELF_SET_LIMIT = /^You have reached your specified (workspace )?API usage limits/i;
const RESUME_DATE = /regain access on (\d{4}-\d{2}-\d{2})(?: at (\d{2}:\d{2}) UTC)?/i;

/** The date a spend-cap message says access resumes ("You will regain access on 2026-09-01 at 00:00 UTC"). */
export function resumeDateOf(message: string): number | undefined {
  const match = RESUME_DATE.exec(message);
  if (!match) return undefined;
  const at = Date.parse(`${match[1]}T${match[2] ?? '00:00'}:00Z`);
  return Number.isFinite(at) ? at : undefined;
}

/** Which limit a 429 names: from its message, else the header that ran out, else requests. */
export function exceededDimension(error: AttemptError, report: RateLimitReport): Dimension {
  const text = error.message.toLowerCase();
  if (text.includes('input tokens')) return 'inputTokens';
  if (text.includes('output tokens')) return 'outputTokens';
  if (text.includes('requests per minute')) return 'requests';
  for (const d of DIMENSIONS) if (report.dimensions[d]?.remaining === 0) return d;
  return 'requests';
}

/**
 * Decides the reaction to a failed attempt that delivered no output. Pure: the scheduler applies it.
 * Retry-after on a 429 comes from the header, else the failing dimension's reset, else backoff.
 */
export function decideFailure(error: AttemptError, report: RateLimitReport, nowMs: number): FailureAction {
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
      const dimension = exceededDimension(error, report);
      const resetAt = report.dimensions[dimension]?.resetAtMs;
      const coolMs =
        report.retryAfterMs ?? (resetAt !== undefined && resetAt > nowMs ? resetAt - nowMs : undefined);
      return {
        kind: 'cool_pool',
        dimension,
        isRamp: error.kind === 'ramp_limited',
        ...(coolMs !== undefined ? { coolMs } : {}),
      };
    }
    case 'auth':
    case 'permission':
      return { kind: 'quarantine_key' };
    case 'invalid_request':
      return SELF_SET_LIMIT.test(error.message)
        ? { kind: 'block_org', block: 'spend_limit' }
        : { kind: 'fail' };
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
      return { kind: 'backoff', isOverload: error.kind === 'overloaded' };
  }
}
