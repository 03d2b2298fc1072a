import type { Reservation } from './reservations';

/** Answered requests kept… */
const KEPT = 16;
/** …and how many must have been seen before the spread of our estimates is believed. */
const NEEDED = 3;
/** Requests in flight whose estimate is kept at most (a reservation that never settles is dropped). */
const MAX_PENDING = 256;
/** An estimate is never believed to err by more than this share (one odd answer must not stall a pool). */
const MAX_OVERCOUNT = 0.5;

/**
 * How the server's input-token counts compare with our estimates for one pool: counted ÷
 * estimated of the latest answered requests. The estimator already corrects the mean; what is left
 * is the spread of single requests (code and prose count differently), which bounds what a refused
 * request was charged and how much a request may need beyond its estimate.
 */
export class ChargeRatios {
  readonly #estimated = new Map<number, number>();
  readonly #ratios: number[] = [];
  #highest = 1;

  /** `r` was sent at its estimated input tokens. */
  noteSent(r: Reservation): void {
    this.#estimated.set(r.seq, r.cost.inputTokens);
    if (this.#estimated.size > MAX_PENDING) this.#estimated.delete(this.#estimated.keys().next().value!);
  }

  /** `r` ended; when answered, `r.cost.inputTokens` is what the server counted. */
  noteSettled(r: Reservation, isAnswered: boolean): void {
    const estimated = this.#estimated.get(r.seq);
    this.#estimated.delete(r.seq);
    if (!isAnswered || estimated === undefined || estimated <= 0 || !(r.cost.inputTokens > 0)) return;
    this.#ratios.push(r.cost.inputTokens / estimated);
    if (this.#ratios.length > KEPT) this.#ratios.shift();
    this.#highest = this.#threeInFour();
  }

  /** True once enough answers were seen to believe the spread. */
  get isKnown(): boolean {
    return this.#ratios.length >= NEEDED;
  }

  /** The least share of our estimate the server charged lately (at most 1). */
  get lowest(): number {
    return Math.min(1, ...this.#ratios);
  }

  /** What it charged lately as a share of our estimate, three requests in four at most (at least 1; 1 until the spread is known). */
  get highest(): number {
    return this.#highest;
  }

  // Read on every admission wait (the planner's hot path): kept, not sorted each time.
  #threeInFour(): number {
    if (!this.isKnown) return 1;
    const sorted = [...this.#ratios].sort((a, b) => a - b);
    return Math.min(1 + MAX_OVERCOUNT, Math.max(1, sorted[Math.floor(0.75 * (sorted.length - 1))]!));
  }
}
