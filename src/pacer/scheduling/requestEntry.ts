import { requestCost, type Cost } from '../limits/cost';
import { modelClassOf } from '../limits/modelClass';
import type { LearningEstimator } from '../limits/tokenEstimator';
import type { Reservation, RatePool } from '../limits/ratePool';
import { isKnownOrganization } from '../keys/keyPool';
import type { SharedLease } from '../sharing/sharedLeases';
import {
  LANES,
  type FailureReason,
  type Lane,
  type RequestResult,
  type SubmitOptions,
} from './schedulerTypes';
import type { AttemptError, MessageRequest } from '../transport';

/** The attempt of a request now on the wire. */
export interface InFlightAttempt {
  readonly keyId: string;
  pool: RatePool;
  readonly reservation: Reservation;
  readonly modelClass: string;
  isSynced: boolean;
  /** Its lease of a budget shared with other clients, when it went out with one. */
  readonly sharedLease?: SharedLease;
}

/** The scheduler's record of one submitted request. */
export interface RequestEntry {
  readonly id: string;
  readonly seqNo: number;
  readonly lane: Lane;
  readonly laneRank: number;
  readonly submittedAtMs: number;
  readonly options: SubmitOptions;
  request: MessageRequest;
  modelClass: string;
  rawInputEstimate: number;
  /** An exact count from count_tokens, when one was made. */
  exactInputTokens?: number;
  cost: Cost;
  state: 'queued' | 'in_flight' | 'done';
  /** When the planner first saw it at the head of its lane: the start of its aging. */
  headSinceMs?: number;
  /** Earliest time of the next attempt (retry backoff). */
  notBeforeMs: number;
  /**
   * The pool whose 429 set `notBeforeMs`, if one did: that wait (its `retry-after`) holds on that pool
   * only, and a pool of another organization may take the request at once.
   */
  refusedBy?: RatePool;
  /** Earliest time a budget shared with other clients said it may start (0: none). */
  sharedNotBeforeMs: number;
  attempts: number;
  rateLimitedCount: number;
  usedFallback: boolean;
  partialText: string;
  lastError?: AttemptError;
  /** When the long-wait event is due again (after keepWaiting), or Infinity when raised and not extended. */
  longWaitDeadlineMs: number;
  attemptController?: AbortController;
  inFlight?: InFlightAttempt;
  readonly resolve: (result: RequestResult) => void;
  detachSignal?: () => void;
}

/** A failure reason built from the last attempt error. */
export function failureFrom(
  kind: FailureReason['kind'],
  message: string,
  lastError?: AttemptError,
): FailureReason {
  return { kind, message, ...(lastError ? { lastError } : {}) };
}

/**
 * Earliest time a request may start on `pool` (any pool when omitted): after its retry backoff and
 * the shared budget's wait. A 429's `retry-after` binds only the pool that refused it, when both
 * organizations are known: two keys whose organization no response named may share one budget.
 */
export function earliestStartMs(entry: RequestEntry, pool?: RatePool): number {
  const refusedBy = entry.refusedBy;
  const isElsewhere =
    pool !== undefined &&
    refusedBy !== undefined &&
    pool !== refusedBy &&
    isKnownOrganization(pool.organizationId) &&
    isKnownOrganization(refusedBy.organizationId);
  return Math.max(isElsewhere ? 0 : entry.notBeforeMs, entry.sharedNotBeforeMs);
}

/** A freshly submitted request, queued, not priced yet. */
export function newRequestEntry(
  seqNo: number,
  nowMs: number,
  options: SubmitOptions,
  resolve: (result: RequestResult) => void,
): RequestEntry {
  const laneRank = Math.max(0, LANES.indexOf(options.lane));
  return {
    id: `r${seqNo}`,
    seqNo,
    lane: LANES[laneRank]!,
    laneRank,
    submittedAtMs: nowMs,
    options,
    request: options.request,
    modelClass: '',
    rawInputEstimate: 0,
    cost: requestCost(0, 0),
    state: 'queued',
    notBeforeMs: 0,
    sharedNotBeforeMs: 0,
    attempts: 0,
    rateLimitedCount: 0,
    usedFallback: false,
    partialText: '',
    longWaitDeadlineMs:
      options.maxWaitMs !== undefined ? nowMs + Math.max(0, options.maxWaitMs) : Number.POSITIVE_INFINITY,
    resolve,
  };
}

/** Sets a request's model, class and cost: an exact count if known, else the corrected estimate. */
export function priceEntry(
  entry: RequestEntry,
  model: string,
  estimator: LearningEstimator,
  otpmRegime: 'realtime' | 'legacy',
): void {
  entry.request = model === entry.request.model ? entry.request : { ...entry.request, model };
  entry.modelClass = modelClassOf(model);
  entry.rawInputEstimate = estimator.rawInput(entry.request);
  const exact = entry.options.inputTokens ?? entry.exactInputTokens;
  const inputTokens =
    exact !== undefined && Number.isFinite(exact) && exact > 0
      ? Math.ceil(exact)
      : estimator.input(entry.request, entry.modelClass);
  const maxTokens = Math.max(1, Math.floor(entry.request.maxTokens));
  const outputTokens = otpmRegime === 'legacy' ? maxTokens : estimator.output(maxTokens, entry.modelClass);
  entry.cost = requestCost(inputTokens, outputTokens);
}
