import { zeroCost, type Cost } from '../limits/cost';
import { DIMENSIONS } from '../limits/dimensions';

/** After the last interactive request, more are expected for this long (a person's pause, not the server's window). */
const EXPECTED_FOR_MS = 120_000;
/** Weight of the newest interactive request in the running mean of their cost. */
const LEARNING_RATE = 0.3;

/**
 * What interactive work (chat, the user watching) draws, learned from the interactive requests
 * actually seen, per model class. Other lanes leave about one such request's cost in every bucket
 * while more are expected, so the next one starts at once; with none seen lately they leave
 * nothing and may use the whole refill.
 */
export class InteractiveDemand {
  readonly #byClass = new Map<string, { mean: Cost; lastAtMs: number }>();

  /** An interactive request of `cost` was submitted. */
  note(modelClass: string, cost: Cost, nowMs: number): void {
    const seen = this.#byClass.get(modelClass);
    if (!seen) {
      this.#byClass.set(modelClass, { mean: { ...cost }, lastAtMs: nowMs });
      return;
    }
    for (const d of DIMENSIONS) seen.mean[d] += LEARNING_RATE * (cost[d] - seen.mean[d]);
    seen.lastAtMs = nowMs;
  }

  /** True while more interactive requests of `modelClass` are expected (one was seen lately). */
  isExpected(modelClass: string, nowMs: number): boolean {
    const seen = this.#byClass.get(modelClass);
    return seen !== undefined && nowMs - seen.lastAtMs <= EXPECTED_FOR_MS;
  }

  /** What non-interactive work of `modelClass` leaves untouched in each bucket now. */
  reserve(modelClass: string, nowMs: number): Cost {
    const seen = this.#byClass.get(modelClass);
    return seen && this.isExpected(modelClass, nowMs) ? seen.mean : zeroCost();
  }
}
