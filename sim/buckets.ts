/** Float noise allowance when turning bucket levels into whole numbers. */
export const EPSILON = 1e-9;

/**
 * A token bucket refilled continuously at limit/60 per second up to its capacity (spec §1.2).
 * A hidden competitor takes a share of the refill; the level may go negative (real-time OTPM).
 */
export class TokenBucket {
  /** Per-minute limit, as reported in `…-limit`. */
  readonly limit: number;
  /** Maximum level: limit × burstWindowSec / 60. */
  readonly capacity: number;
  #level: number;
  #atMs: number;
  #competitorShare = 0;

  /** Starts full at `nowMs`. */
  constructor(limit: number, burstWindowSec: number, nowMs: number) {
    this.limit = limit;
    this.capacity = (limit * burstWindowSec) / 60;
    this.#level = this.capacity;
    this.#atMs = nowMs;
  }

  /** Net refill per second after the competitor's share. */
  get ratePerSec(): number {
    return (this.limit / 60) * (1 - this.#competitorShare);
  }

  /** The level at `nowMs` (never earlier than the last update). */
  levelAt(nowMs: number): number {
    this.#advance(nowMs);
    return this.#level;
  }

  /** Removes `amount`; the level may go below zero. */
  debit(amount: number, nowMs: number): void {
    this.#advance(nowMs);
    this.#level -= amount;
  }

  /** Gives back `amount`, up to capacity (legacy OTPM refund). */
  refund(amount: number, nowMs: number): void {
    this.#advance(nowMs);
    this.#level = Math.min(this.capacity, this.#level + amount);
  }

  /** Empties the bucket: sudden quota loss. */
  drain(nowMs: number): void {
    this.#advance(nowMs);
    this.#level = Math.min(this.#level, 0);
  }

  /** Sets the competitor's share (0 ≤ share < 1) of the refill from `nowMs` on. */
  setCompetitorShare(share: number, nowMs: number): void {
    this.#advance(nowMs);
    this.#competitorShare = share;
  }

  /** Seconds from `nowMs` until the level reaches `target` (0 if already there). */
  secondsUntil(target: number, nowMs: number): number {
    const level = this.levelAt(nowMs);
    return level >= target ? 0 : (target - level) / this.ratePerSec;
  }

  #advance(nowMs: number): void {
    if (nowMs <= this.#atMs) return;
    const elapsedSec = (nowMs - this.#atMs) / 1000;
    this.#level = Math.min(this.capacity, this.#level + this.ratePerSec * elapsedSec);
    this.#atMs = nowMs;
  }
}
