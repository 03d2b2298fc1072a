import { invalidKeyMessage, type Credentials } from './auth';
import { firstOfNextMonth, rampLimitMessage, spendLimitMessage } from './errors';
import type { Exchange } from './exchange';
import type { Fault } from './faultSpec';
import type { HeaderMap } from './headers';
import type { SimState } from './state';

/** Faults that replace the response before rate limiting; the others modify an admitted request's response. */
export const terminalFaultKinds: ReadonlySet<Fault['kind']> = new Set([
  'overloaded',
  'api_error',
  'timeout_error',
  'spend_limit',
  'ramp_limit',
  'key_revoked',
  'permission_error',
  'request_too_large',
  'prompt_too_long',
  'connection_reset',
  'absurd_retry_after',
]);

/** What a terminal fault needs to know about the request. */
export interface FaultRequest {
  readonly credentials: Credentials;
  readonly orgId: string;
  readonly model: string;
  readonly inputTokens: number;
}

function absurdRetryAfter(variant: 'negative' | 'huge' | 'past_date', nowMs: number): string {
  if (variant === 'negative') return '-5';
  if (variant === 'huge') return '1000000000';
  return new Date(nowMs - 3_600_000).toUTCString();
}

/** Answers `fault` (a terminal kind); nothing is debited. */
export function sendTerminalFault(state: SimState, ex: Exchange, fault: Fault, request: FaultRequest): void {
  const retry: HeaderMap = { 'x-should-retry': 'true' };
  switch (fault.kind) {
    case 'overloaded': {
      const { shouldRetry, retryAfterSec } = state.config.overloaded;
      const headers: HeaderMap = {};
      if (shouldRetry !== null) headers['x-should-retry'] = String(shouldRetry);
      if (retryAfterSec !== null) headers['retry-after'] = String(retryAfterSec);
      return ex.sendError(529, { type: 'overloaded_error', message: 'Overloaded' }, headers);
    }
    case 'api_error':
      return ex.sendError(500, { details: null, type: 'api_error', message: 'Internal server error' });
    case 'timeout_error':
      return ex.sendError(504, { type: 'timeout_error', message: 'Request timed out' });
    case 'spend_limit': {
      const regainOn = fault.regainOn ?? firstOfNextMonth(state.clock.now());
      // No retry-after and no x-should-retry: the documented cap response carries neither.
      return ex.sendError(429, {
        type: 'rate_limit_error',
        message: spendLimitMessage(regainOn),
        details: { error_code: 'enforced_spend_limit_reached' },
      });
    }
    case 'ramp_limit':
      return ex.sendError(
        429,
        {
          type: 'rate_limit_error',
          message: rampLimitMessage(request.orgId, request.model),
          details: { error_code: 'ramp_limit_exceeded' },
        },
        { ...retry, 'retry-after': String(fault.retryAfterSec) },
      );
    case 'key_revoked':
      state.revokedKeys.add(request.credentials.key);
      ex.forgetPrincipal();
      return ex.sendError(401, {
        type: 'authentication_error',
        message: invalidKeyMessage(request.credentials),
      });
    case 'permission_error':
      return ex.sendError(403, {
        type: 'permission_error',
        message: 'Your API key does not have permission to use the specified resource.',
      });
    case 'request_too_large':
      return ex.sendError(413, {
        type: 'request_too_large',
        message: 'Request exceeds the maximum allowed number of bytes.',
      });
    case 'prompt_too_long':
      return ex.sendError(400, {
        type: 'invalid_request_error',
        message: `prompt is too long: ${request.inputTokens} tokens > ${fault.maxTokens} maximum`,
      });
    case 'connection_reset':
      return ex.reset();
    case 'absurd_retry_after':
      return ex.sendError(
        429,
        { details: null, type: 'rate_limit_error', message: 'Rate limited' },
        { ...retry, 'retry-after': absurdRetryAfter(fault.variant, state.clock.now()) },
      );
    default:
      throw new Error(`not a terminal fault: ${fault.kind}`);
  }
}
