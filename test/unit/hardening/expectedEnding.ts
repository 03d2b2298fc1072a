// The ending the scheduler's documented policy gives a request, derived from its attempt history
// alone (what the transport reported for each HTTP request), written independently of the
// scheduler's code so the fault matrix can check every one of 200 endings, not just counts.
import { adviseOnFailure } from '../../../src/status/model/failureAdvice';
import type { FailureKind, RequestResult } from '../../../src/pacer/scheduling/schedulerTypes';
import type { AttemptError } from '../../../src/pacer/transport';
import type { AttemptRecord } from '../../contract/schedulerRig';
import type { LoadRequest } from './loadRun';

/** How a request ended, one word: completed, cancelled, or the failure kind. */
export type Ending = 'completed' | 'cancelled' | FailureKind;

/** The one word for a result. */
export function endingOf(result: RequestResult): Ending {
  return result.status === 'failed' ? result.reason.kind : result.status;
}

/** The retry limits the load ran with. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly maxRateLimitRetries: number;
}

/**
 * An ending and the exact `reason.message`, when the history determines it. `no_plan`: the last
 * attempt (if any) sent the request back to the queue (retry wait, cool-down, key quarantined,
 * organization blocked), so it can only have ended when no key could take it any more
 * (no_keys, key_rejected, spend_limit, billing, never_fits, daily_budget).
 */
export interface Expected {
  readonly ending: Ending | 'no_plan';
  readonly message?: string;
}

/** "529 overloaded", "connection mid-stream" (the scheduler's wording of an attempt error). */
function describe(error: AttemptError): string {
  return `${error.status !== undefined ? `${error.status} ` : ''}${error.kind.replace(/_/g, ' ')}${error.midStream ? ' mid-stream' : ''}`;
}

/** The ending a request must have: cancelled when its caller cancelled it first; else decided by its last attempt. */
export function expectedEnding(
  request: LoadRequest,
  attempts: readonly AttemptRecord[],
  policy: RetryPolicy,
): Expected {
  if (request.isCancelCalled) return { ending: 'cancelled' };
  const last = attempts.at(-1)?.outcome;
  if (last === undefined) return { ending: 'no_plan' };
  if (last.kind === 'success') return { ending: 'completed' };
  const error = last.error;
  if (last.partialText !== '') {
    return {
      ending: 'interrupted',
      message: `The answer was interrupted (${describe(error)}); the partial answer is kept.`,
    };
  }
  const tries = attempts.length;
  switch (error.kind) {
    case 'invalid_request':
    case 'too_large':
    case 'not_found':
      return { ending: 'rejected', message: `The server refused the request: ${error.message}` };
    case 'overloaded':
    case 'server_error':
    case 'gateway_timeout':
    case 'connection':
    case 'timeout':
    case 'malformed_response':
      if (last.headers?.get('x-should-retry') === 'false' && error.status !== undefined)
        return { ending: 'rejected', message: `The server refused the request: ${error.message}` };
      return tries >= policy.maxAttempts
        ? {
            ending: 'retries_exhausted',
            message: `Gave up after ${tries} attempts: ${describe(error)} (${error.message}).`,
          }
        : { ending: 'no_plan' };
    case 'rate_limited':
    case 'ramp_limited': {
      const limited = attempts.filter(
        (a) =>
          a.outcome?.kind === 'failure' &&
          a.outcome.partialText === '' &&
          (a.outcome.error.kind === 'rate_limited' || a.outcome.error.kind === 'ramp_limited'),
      ).length;
      return limited > policy.maxRateLimitRetries
        ? { ending: 'rate_limited', message: `Still rate limited after ${limited} tries: ${error.message}` }
        : { ending: 'no_plan' };
    }
    case 'auth':
    case 'permission':
    case 'spend_limit':
    case 'billing':
      return { ending: 'no_plan' };
    case 'aborted':
      return { ending: 'cancelled' };
    case 'insecure_endpoint':
    case 'redirected':
    case 'endpoint_not_approved':
      return { ending: error.kind, message: error.message };
  }
}

/** The sentence the user sees for a failure ("Claude: " + this in a notification), or undefined. */
export function userMessage(result: RequestResult): string | undefined {
  return result.status === 'failed' ? adviseOnFailure(result.reason).message : undefined;
}
