import { countedInput, describeError, totalInput } from '../limits/attemptAccounting';
import { fullJitterDelayMs } from './backoff';
import type { Clock, RandomSource } from '../clock';
import { decideFailure, type FailureAction } from './failurePolicy';
import type { KeyPool } from '../keys/keyPool';
import type { OverloadTracker } from './overloadTracker';
import type { PoolRegistry } from '../limits/poolRegistry';
import { parseRateLimitHeaders, type RateLimitReport } from '../limits/rateLimitHeaders';
import type { CooledLimit } from '../limits/waitCause';
import type { RatePool } from '../limits/ratePool';
import { failureFrom, type InFlightAttempt, type RequestEntry } from '../scheduling/requestEntry';
import type { SchedulerOptions } from '../scheduling/schedulerOptions';
import type { SharedLeases } from '../sharing/sharedLeases';
import type { FailureReason, RequestResult, SchedulerLogEntry } from '../scheduling/schedulerTypes';
import type { LearningEstimator } from '../limits/tokenEstimator';
import type { AttemptError, AttemptOutcome } from '../transport';

/** What the outcome handler needs from the scheduler. */
export interface OutcomeHost {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly keys: KeyPool;
  readonly pools: PoolRegistry;
  readonly estimator: LearningEstimator;
  readonly overloads: OverloadTracker;
  readonly sharing: SharedLeases;
  options(): SchedulerOptions;
  /** Re-syncs the attempt's pool from headers (and learns the organization); `isAdmitted` for a 200. */
  syncFrom(attempt: InFlightAttempt, report: RateLimitReport, isAdmitted: boolean): void;
  finish(entry: RequestEntry, result: RequestResult): void;
  /** Puts a request back in its lane, in its original place. */
  requeue(entry: RequestEntry): void;
  log(level: SchedulerLogEntry['level'], message: string, requestId?: string): void;
  last4(keyId: string): string;
}

/**
 * The shortest wait after a 429, even when `retry-after` says 0 ("retry after a short floor"):
 * a sixtieth of the pool's window (its second, for a per-minute bucket), between 50 ms and 1 s.
 */
function retryFloorMs(pool: RatePool): number {
  return Math.min(1000, Math.max(50, (pool.windowMs() ?? 60_000) / 60));
}

/**
 * How long a 429 holds back the rest of a pool: its wait, at most the time the pool's slowest
 * bucket takes to refill from empty, when known. No floor under that window: a burst of 1.33
 * requests refills in 25 ms, and a 100 ms floor held the pool back four refills after each refusal.
 */
function poolCoolMs(pool: RatePool, waitMs: number): number {
  const windowMs = pool.windowMs(0);
  return windowMs === undefined ? waitMs : Math.min(waitMs, windowMs);
}

/**
 * The one retry layer: turns an attempt's outcome into the pool's accounting (settle or refund,
 * header sync), the side effects (cool-down, key quarantine, organization block, overload count)
 * and the request's fate (completed, retried in its place, or failed with a reason). A request whose
 * output was already delivered is never sent again.
 */
export class OutcomeHandler {
  readonly #host: OutcomeHost;

  /** Acts on `host`. */
  constructor(host: OutcomeHost) {
    this.#host = host;
  }

  /** Handles one attempt's outcome. */
  handle(entry: RequestEntry, attempt: InFlightAttempt, outcome: AttemptOutcome): void {
    const host = this.#host;
    const now = host.clock.now();
    const report = parseRateLimitHeaders(outcome.headers, now);
    if (outcome.kind === 'success') {
      if (!attempt.isSynced) host.syncFrom(attempt, report, true);
      attempt.pool.settle(
        attempt.reservation,
        {
          inputTokens: countedInput(outcome.usage, attempt.modelClass),
          outputTokens: outcome.usage.outputTokens,
        },
        now,
        true,
      );
      host.sharing.settle(attempt);
      host.estimator.learn(
        attempt.modelClass,
        entry.rawInputEstimate,
        totalInput(outcome.usage),
        outcome.usage.outputTokens,
      );
      attempt.pool.throttle.noteSuccess(attempt.reservation);
      host.overloads.clear(entry.request.model);
      host.finish(entry, {
        status: 'completed',
        text: outcome.text,
        usage: outcome.usage,
        model: entry.request.model,
        usedFallback: entry.usedFallback,
        attempts: entry.attempts,
        keyId: attempt.keyId,
        stopReason: outcome.stopReason,
        ...(outcome.serverRequestId !== undefined ? { serverRequestId: outcome.serverRequestId } : {}),
      });
      return;
    }
    const error = outcome.error;
    if (error.status !== undefined && !error.midStream) {
      // The server refused it before doing anything: nothing was consumed.
      attempt.pool.refund(attempt.reservation, now);
      host.sharing.refund(attempt);
      if (!attempt.isSynced) host.syncFrom(attempt, report, false);
    } else {
      const usage = outcome.partialUsage;
      attempt.pool.settle(
        attempt.reservation,
        {
          inputTokens: usage ? countedInput(usage, attempt.modelClass) : attempt.reservation.cost.inputTokens,
          outputTokens: usage?.outputTokens ?? Math.ceil(outcome.partialText.length / 4),
        },
        now,
        error.midStream,
      );
      host.sharing.settle(attempt);
    }
    if (entry.state === 'done') return;
    entry.lastError = error;
    const action = decideFailure(error, report, now, entry.cost);
    this.#applySideEffects(entry, attempt, action, error.message, report, now);
    if (outcome.partialText.length > 0 && action.kind !== 'cancelled') {
      host.finish(entry, {
        status: 'failed',
        reason: failureFrom(
          'interrupted',
          `The answer was interrupted (${describeError(error)}); the partial answer is kept.`,
          error,
        ),
        partialText: outcome.partialText,
        attempts: entry.attempts,
      });
      return;
    }
    this.#retryOrFail(entry, action, error, report, now);
  }

  #applySideEffects(
    entry: RequestEntry,
    attempt: InFlightAttempt,
    action: FailureAction,
    message: string,
    report: RateLimitReport,
    now: number,
  ): void {
    const host = this.#host;
    const pool = host.pools.poolFor(attempt.keyId, attempt.modelClass);
    switch (action.kind) {
      case 'cool_pool': {
        const waitMs =
          action.coolMs !== undefined
            ? Math.max(retryFloorMs(pool), action.coolMs)
            : fullJitterDelayMs(host.options().backoff, entry.rateLimitedCount + 1, host.random);
        const limit: CooledLimit = action.isRamp ? 'acceleration' : (action.dimension ?? 'unnamed');
        // The request waits until it fits ("earlier retries will fail"). A token limit refused this
        // request's size: its bucket now shows that, and smaller requests may still go. A request
        // limit, a ramp limit or an unnamed one holds the whole pool back.
        entry.notBeforeMs = Math.max(entry.notBeforeMs, now + waitMs);
        // That pool's wait: another organization's pool may take the request at once.
        entry.refusedBy = pool;
        if (action.dimension !== undefined)
          pool.note429(action.dimension, report, entry.cost, action.coolMs, now, attempt.reservation);
        if (action.isRamp) pool.throttle.slowRamp(pool.inFlight);
        // The refused request waits all of `retry-after`; the rest of the pool at most one window:
        // by then the server's bucket has refilled whole, and a `retry-after` in whole seconds can be
        // many windows long when the server refills its burst in a fraction of a second.
        if (action.isRamp || action.dimension === undefined || action.dimension === 'requests')
          pool.throttle.coolUntil(now + (action.isRamp ? waitMs : poolCoolMs(pool, waitMs)), limit);
        host.log('warn', `429 (${limit} limit): retry in ${Math.ceil(waitMs / 1000)} s`, entry.id);
        break;
      }
      case 'cool_key': {
        const restMs = Math.max(
          retryFloorMs(pool),
          fullJitterDelayMs(host.options().backoff, entry.attempts, host.random),
        );
        // Least-recently-used rotation picks the rested key last until then; a lone key is retried after the backoff.
        host.keys.markUsed(attempt.keyId, now + restMs);
        host.log('warn', `key …${host.last4(attempt.keyId)} refused at the edge (403); resting it`, entry.id);
        break;
      }
      case 'quarantine_key':
        host.keys.quarantine(attempt.keyId, { kind: 'rejected', reason: message });
        host.log(
          'warn',
          `key …${host.last4(attempt.keyId)} rejected by the server; rotating to another key`,
          entry.id,
        );
        break;
      case 'block_org': {
        const org = host.keys.organizationOf(attempt.keyId);
        host.keys.blockOrganization(org, {
          kind: action.block,
          reason: message,
          ...(action.resumesAtMs !== undefined ? { untilMs: action.resumesAtMs } : {}),
        });
        host.log('error', `organization ${org} blocked (${action.block})`, entry.id);
        break;
      }
      case 'backoff':
        if (action.isOverload) host.overloads.note(entry.request.model, now);
        break;
      case 'fail':
      case 'cancelled':
        break;
    }
  }

  #retryOrFail(
    entry: RequestEntry,
    action: FailureAction,
    error: AttemptError,
    report: RateLimitReport,
    now: number,
  ): void {
    const host = this.#host;
    const options = host.options();
    const fail = (reason: FailureReason): void =>
      host.finish(entry, { status: 'failed', reason, partialText: '', attempts: entry.attempts });
    switch (action.kind) {
      case 'cancelled':
        host.finish(entry, { status: 'cancelled', partialText: '' });
        return;
      case 'fail':
        fail(
          error.kind === 'insecure_endpoint' ||
            error.kind === 'redirected' ||
            error.kind === 'endpoint_not_approved'
            ? failureFrom(error.kind, error.message, error)
            : failureFrom('rejected', `The server refused the request: ${error.message}`, error),
        );
        return;
      case 'cool_pool':
        entry.rateLimitedCount++;
        if (entry.rateLimitedCount > options.maxRateLimitRetries) {
          fail(
            failureFrom(
              'rate_limited',
              `Still rate limited after ${entry.rateLimitedCount} tries: ${error.message}`,
              error,
            ),
          );
          return;
        }
        break;
      case 'backoff':
      case 'cool_key':
        if (entry.attempts >= options.backoff.maxAttempts) {
          fail(
            failureFrom(
              'retries_exhausted',
              `Gave up after ${entry.attempts} attempts: ${describeError(error)} (${error.message}).`,
              error,
            ),
          );
          return;
        }
        // A server that says when to come back (retry-after on a 529) is believed over our backoff.
        entry.notBeforeMs =
          now +
          Math.max(fullJitterDelayMs(options.backoff, entry.attempts, host.random), report.retryAfterMs ?? 0);
        entry.refusedBy = undefined;
        host.log(
          'info',
          `retrying after ${describeError(error)} in ${Math.ceil((entry.notBeforeMs - now) / 1000)} s`,
          entry.id,
        );
        break;
      case 'quarantine_key':
      case 'block_org':
        break;
    }
    host.requeue(entry);
  }
}
