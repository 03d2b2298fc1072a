import type { RealismConfig } from './config';
import type { HeaderMap } from './headers';
import type { AnyLimiter, Rejection } from './rateLimiter';

/** An `error.type` the simulator sends. */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/** The `error` object of an envelope; `details` is omitted, null or an object as in real traffic. */
export interface ErrorObject {
  readonly type: ErrorType;
  readonly message: string;
  readonly details?: { readonly error_code: string } | null;
}

/** The error envelope `{"type":"error","error":{…},"request_id":"req_…"}` as a JSON string. */
export function errorEnvelope(error: ErrorObject, requestId: string): string {
  return JSON.stringify({ type: 'error', error, request_id: requestId });
}

const rateLimitTail =
  'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. ' +
  'Please reduce the prompt length or the maximum tokens requested, or try again later. ' +
  'You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase.';

const limiterUnit: Record<AnyLimiter, string> = {
  requests: 'requests',
  input: 'input tokens',
  output: 'output tokens',
  tokens: 'tokens',
};

/** The 2026-style 429 message naming the limit that refused the request. */
export function rateLimitMessage(
  limiter: AnyLimiter,
  limit: number,
  scope: 'organization' | 'workspace',
  scopeId: string,
  model: string,
): string {
  const owner = scope === 'organization' ? `organization's` : `workspace's`;
  const idLabel = scope === 'organization' ? 'org' : 'workspace';
  return (
    `This request would exceed your ${owner} rate limit of ${limit.toLocaleString('en-US')} ${limiterUnit[limiter]} per minute ` +
    `(${idLabel}: ${scopeId}, model: ${model}). ${rateLimitTail}`
  );
}

// The 2024 wording, which says "request tokens" whichever limit refused (spec §3.2, §10).
const requestTokensMessage =
  'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); ' +
  'see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, ' +
  'or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.';

/** The error and headers of a rate-limiter 429, worded and headed as `realism` says. */
export function rateLimitResponse(
  realism: RealismConfig,
  rejection: Rejection,
  model: string,
): { error: ErrorObject; headers: HeaderMap } {
  const { limiter, limit, scope, scopeId } = rejection;
  const error: ErrorObject =
    realism.rateLimitWording === 'rate_limited'
      ? { details: null, type: 'rate_limit_error', message: 'Rate limited' }
      : {
          type: 'rate_limit_error',
          message:
            realism.rateLimitWording === 'error'
              ? 'Error'
              : realism.rateLimitWording === 'request_tokens'
                ? requestTokensMessage
                : rateLimitMessage(limiter, limit, scope, scopeId, model),
        };
  const headers: HeaderMap = { 'x-should-retry': 'true' };
  if (!realism.omitRetryAfter) headers['retry-after'] = String(rejection.retryAfterSec);
  return { error, headers };
}

/** The spend-cap 429 message; access returns on `regainOn` (YYYY-MM-DD). */
export function spendLimitMessage(regainOn: string): string {
  return (
    'You have reached your API usage limits: your organization has crossed its monthly API usage threshold, ' +
    `set based on your organization's API tier. You will regain access on ${regainOn} at 00:00 UTC.`
  );
}

/** The ramp-limit 429 message (our wording: Anthropic publishes none). */
export function rampLimitMessage(orgId: string, model: string): string {
  return (
    `This request would exceed your organization's ramp limit, which caps how fast usage can grow (org: ${orgId}, model: ${model}). ` +
    'Please ramp up your traffic gradually and retry after the time in the retry-after header.'
  );
}

/** The first day of the month after `nowMs`, as YYYY-MM-DD (UTC). */
export function firstOfNextMonth(nowMs: number): string {
  const d = new Date(nowMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}
