/**
 * A continuous token bucket: refills at `ratePerMs` up to `capacity`, never in steps. The level may
 * go negative (a reconciliation can take more than was reserved); admission then waits longer.
 */
export class TokenBucket {
  #capacity: number;
  #ratePerMs: number;
  #level: number;
  #atMs: number;
  /** Refill lost to the cap, and returns beyond it, since {@link takeSpilled} last read it. */
  #spilled = 0;

  /** A full bucket of `capacity` refilling `perMinute` per 60 s, as of `nowMs`. */
  constructor(capacity: number, perMinute: number, nowMs: number) {
    this.#capacity = Math.max(0, capacity);
    this.#ratePerMs = Math.max(0, perMinute) / 60_000;
    this.#level = this.#capacity;
    this.#atMs = nowMs;
  }

  /** Maximum level. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Refill per millisecond. */
  get ratePerMs(): number {
    return this.#ratePerMs;
  }

  /** Level at `nowMs` (refill applied, capped at capacity). */
  levelAt(nowMs: number): number {
    const elapsed = Math.max(0, nowMs - this.#atMs);
    return Math.min(this.#capacity, this.#level + elapsed * this.#ratePerMs);
  }

  /**
   * Milliseconds until the level reaches `needed` (0 = now), as if `debit` were taken first (for
   * backfill decisions). Infinity when it never can: `needed` above capacity, or no refill.
   */
  waitMs(needed: number, nowMs: number, debit = 0): number {
    const level = this.levelAt(nowMs) - debit;
    if (level >= needed) return 0;
    if (needed > this.#capacity || this.#ratePerMs <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil((needed - level) / this.#ratePerMs);
  }

  /** Removes `amount` (may drive the level negative). */
  take(amount: number, nowMs: number): void {
    this.#settle(nowMs);
    this.#level -= amount;
  }

  /** Returns `amount`, capped at capacity. */
  give(amount: number, nowMs: number): void {
    this.#settle(nowMs);
    this.#spilled += Math.max(0, this.#level + amount - this.#capacity);
    this.#level = Math.min(this.#capacity, this.#level + amount);
  }

  /**
   * How much the cap has cut off (refill of a full bucket, returns beyond capacity) since the last
   * call, which starts a new count. A prediction that spilled says little about what others drew.
   */
  takeSpilled(nowMs: number): number {
    this.#settle(nowMs);
    const spilled = this.#spilled;
    this.#spilled = 0;
    return spilled;
  }

  /** Sets the level outright (header sync), clamped to at most capacity. */
  setLevel(level: number, nowMs: number): void {
    this.#settle(nowMs);
    this.#atMs = nowMs;
    this.#level = Math.min(this.#capacity, level);
  }

  /** Changes capacity and refill; the current level is kept, clamped to the new capacity. */
  reshape(capacity: number, perMinute: number, nowMs: number): void {
    this.#settle(nowMs);
    this.#capacity = Math.max(0, capacity);
    this.#ratePerMs = Math.max(0, perMinute) / 60_000;
    this.#level = Math.min(this.#capacity, this.#level);
  }

  #settle(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.#atMs);
    if (Number.isFinite(this.#capacity))
      this.#spilled += Math.max(
        0,
        this.#level + elapsed * this.#ratePerMs - Math.max(this.#capacity, this.#level),
      );
    this.#level = this.levelAt(nowMs);
    this.#atMs = Math.max(this.#atMs, nowMs);
  }
}
