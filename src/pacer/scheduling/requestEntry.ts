import type { Cost } from '../limits/cost';
import type { Reservation, RatePool } from '../limits/ratePool';
import type { FailureReason, Lane, RequestResult, SubmitOptions } from './schedulerTypes';
import type { AttemptError, MessageRequest } from '../transport';

/** The attempt of a request now on the wire. */
export interface InFlightAttempt {
  readonly keyId: string;
  pool: RatePool;
  readonly reservation: Reservation;
  readonly modelClass: string;
  isSynced: boolean;
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
