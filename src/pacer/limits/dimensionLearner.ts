/** We always keep at least this share of the refill, however much others seem to use. */
const MIN_OWN_REFILL_SHARE = 0.1;
/** A `-reset` closer than this is too coarse (whole seconds) to read a refill rate from. */
const MIN_RESET_FOR_RATE_MS = 5_000;
/** Bounds of the time over which other clients' draw is averaged (a multiple of the pool's window). */
const MIN_EXTERNAL_HORIZON_MS = 1_000;
const MAX_EXTERNAL_HORIZON_MS = 20_000;
const EXTERNAL_HORIZON_WINDOWS = 4;

/**
 * What the server's answers taught about one dimension of a pool: the burst it really keeps, and
 * how much of the refill clients we cannot see draw.
 *
 * The burst is the highest level the server has shown: a response's `remaining` plus what that
 * request was charged at admission is the level the server had before it, and a bucket's level
 * never exceeds its capacity. So this is a lower bound that is exact as soon as one response
 * found the bucket full (the first request after any idle spell does), for any enforcement window
 * from a second to the whole minute — no halving on 429s, nothing to recover from. Believing a
 * smaller burst than the real one costs at most one window once; believing a larger one costs 429s.
 */
export class DimensionLearner {
  #peak: number | undefined;
  /** The reservation whose response set the peak, so a corrected cost can correct it. */
  #peakSeq = -1;
  #externalPerMs = 0;
  #lastSyncAtMs: number | undefined;

  /** The burst in force: the highest level the server has shown, at most `limit` (all of it before any). */
  capacity(limit: number): number {
    return Math.min(limit, this.#peak ?? limit);
  }

  /** True once a response has shown a level for this dimension. */
  get hasObservedLevel(): boolean {
    return this.#peak !== undefined;
  }

  /** Refill per minute left to us after other clients' learned draw (never below 10 % of `limit`). */
  refillPerMinute(limit: number): number {
    return Math.max(limit * MIN_OWN_REFILL_SHARE, limit - this.#externalPerMs * 60_000);
  }

  /** The server had `levelBefore` when it admitted request `seq`; returns whether the believed burst grew. */
  observeLevel(levelBefore: number, seq: number): boolean {
    if (!Number.isFinite(levelBefore) || (this.#peak !== undefined && levelBefore <= this.#peak))
      return false;
    this.#peak = Math.max(0, levelBefore);
    this.#peakSeq = seq;
    return true;
  }

  /** Request `seq` was charged `delta` more (negative: less) than we estimated; returns whether the burst changed. */
  correct(seq: number, delta: number): boolean {
    if (seq !== this.#peakSeq || this.#peak === undefined || delta === 0) return false;
    this.#peak = Math.max(0, this.#peak + delta);
    return true;
  }

  /** The limit changed (a new tier): what was learned of the old one no longer holds. */
  forget(): void {
    this.#peak = undefined;
    this.#peakSeq = -1;
    this.#externalPerMs = 0;
  }

  /**
   * Other clients of the organization (other tools, teammates) draw on the same budget unseen. The
   * gap between the level we predicted and the one the server reports, over the time since the
   * last sync, measures their rate: a moving average over a few windows of the pool. (Averaging
   * the rate itself, not integrating the gap, keeps the rounding noise of `remaining` from piling
   * up into a phantom competitor.) Returns whether the estimate changed.
   */
  learnExternal(
    predicted: number,
    reported: number,
    nowMs: number,
    limit: number,
    windowMs: number,
  ): boolean {
    const last = this.#lastSyncAtMs;
    this.#lastSyncAtMs = nowMs;
    if (last === undefined || nowMs <= last || !Number.isFinite(predicted)) return false;
    const elapsed = nowMs - last;
    const horizon = Math.min(
      MAX_EXTERNAL_HORIZON_MS,
      Math.max(MIN_EXTERNAL_HORIZON_MS, EXTERNAL_HORIZON_WINDOWS * windowMs),
    );
    const previous = this.#externalPerMs;
    const sample = (predicted - reported) / elapsed;
    const maxPerMs = (limit / 60_000) * (1 - MIN_OWN_REFILL_SHARE);
    const weight = Math.min(1, elapsed / horizon);
    const next = Math.min(maxPerMs, Math.max(0, previous + weight * (sample - previous)));
    if (Math.abs(next - previous) < 1e-9) return false;
    this.#externalPerMs = next;
    return true;
  }
  /**
   * A server whose `-reset` already accounts for other clients' draw ("full in 120 s" for a bucket
   * our nominal refill fills in 60 s) tells the net refill outright: use it at once instead of
   * waiting for the moving average. The burst believed is a lower bound, so the draw read here
   * errs high (slower pacing, never 429s). Returns whether the estimate changed.
   */
  learnNetRefill(remaining: number, resetAtMs: number | undefined, nowMs: number, limit: number): boolean {
    if (resetAtMs === undefined || resetAtMs - nowMs < MIN_RESET_FOR_RATE_MS) return false;
    const capacity = this.capacity(limit);
    const missing = capacity - remaining;
    if (missing < Math.max(1, 0.05 * capacity)) return false;
    const nominalPerMs = limit / 60_000;
    const impliedPerMs = missing / (resetAtMs - nowMs);
    if (impliedPerMs >= 0.9 * nominalPerMs) return false;
    const external = Math.min(nominalPerMs * (1 - MIN_OWN_REFILL_SHARE), nominalPerMs - impliedPerMs);
    if (external <= this.#externalPerMs) return false;
    this.#externalPerMs = external;
    return true;
  }
}
