import type { Attempt, AttemptOutcome } from '../pacer/index';

/** Observes every attempt's outcome (usage statistics). */
export type AttemptObserver = (attempt: Attempt, outcome: AttemptOutcome) => void;

/** A finished request, for usage: its key, model and the time it spent waiting (queued, paced or before a retry; not sending). */
export interface FinishedRequest {
  readonly requestId: string;
  readonly keyId?: string;
  readonly model: string;
  readonly waitMs: number;
}
