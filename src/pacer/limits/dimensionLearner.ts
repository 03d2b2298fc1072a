import type { OthersDraw } from './syncedBucket';
import { TinyBurstPacing } from './tinyBurstPacing';

/** We always keep at least this share of the refill, however much others seem to use. */
const MIN_OWN_REFILL_SHARE = 0.1;
/** Answers whose level must have been read before the burst believed counts for a net refill. */
const LEVELS_FOR_BURST = 3;
/** A `-reset` closer than this is too coarse (whole seconds) to read a refill rate from. */
const MIN_RESET_FOR_RATE_MS = 5_000;
/** Bounds of the time over which other clients' draw is measured. */
const MIN_EXTERNAL_HORIZON_MS = 1_000;
const MAX_EXTERNAL_HORIZON_MS = 60_000;
/** The horizon spans this many of the pool's windows… */
const EXTERNAL_HORIZON_WINDOWS = 2;
/** …and at least the time the nominal refill takes to fill this many rounding steps of `remaining`. */
const EXTERNAL_HORIZON_QUANTA = 20;

/** One re-sync of a bucket from the server: what we predicted, what the server showed. */
export interface Correction {
  /** Our bucket's level just before the re-sync. */
  readonly predicted: number;
  /** The level the server's answer implies (what the bucket is set to). */
  readonly level: number;
  /** Refill our bucket lost to its cap since the previous re-sync. */
  readonly spilled: number;
  readonly nowMs: number;
  /** The limit's own refill per ms, and the refill our bucket assumed (what others leave us). */
  readonly nominalPerMs: number;
  readonly bucketPerMs: number;
  /** The pool's window (time to refill from empty), the unit of the horizon, and our bucket's capacity. */
  readonly windowMs: number;
  readonly capacity: number;
  /** The rounding step of `remaining` (1 request, 1,000 tokens): the noise of one reading. */
  readonly quantum: number;
}

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
  /** Others' draw per re-sync interval over the horizon, and the sums of both columns. */
  #draws: { readonly spanMs: number; readonly drawn: number }[] = [];
  /** The draws whose drawn amount no later one reaches, oldest first: its head is the horizon's largest. */
  #largestDraws: { readonly spanMs: number; readonly drawn: number }[] = [];
  #drawSpanMs = 0;
  #drawn = 0;
  /** Answers whose level was read: the burst believed after only a first one or two is a guess. */
  #levelsSeen = 0;
  /** Where the burst holds only a few reading steps: the net refill read from admissions and refusals. */
  readonly tinyBurst = new TinyBurstPacing();
  /** The net refill per ms that puts us on, while it does. */
  #bracketPerMs: number | undefined;

  /** The burst in force: the highest level the server has shown, at most `limit` (all of it before any). */
  capacity(limit: number): number {
    return Math.min(limit, this.#peak ?? limit);
  }

  /** What is known of others' draw: none seen, a net refill bracketed from admissions and refusals, or a draw estimated. */
  get othersDraw(): OthersDraw {
    if (this.#bracketPerMs !== undefined) return 'bracketed';
    return this.#externalPerMs > 0 ? 'estimated' : 'none';
  }

  /** True once a response has shown a level for this dimension. */
  get hasObservedLevel(): boolean {
    return this.#peak !== undefined;
  }

  /** Refill per minute left to us after other clients' learned draw (never below 10 % of `limit`). */
  refillPerMinute(limit: number): number {
    if (this.#bracketPerMs !== undefined)
      return Math.max(limit * MIN_OWN_REFILL_SHARE, this.#bracketPerMs * 60_000);
    return Math.max(limit * MIN_OWN_REFILL_SHARE, limit - this.#externalPerMs * 60_000);
  }

  /** The server had `levelBefore` when it admitted request `seq`; returns whether the believed burst grew. */
  observeLevel(levelBefore: number, seq: number): boolean {
    this.#levelsSeen++;
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
    this.#levelsSeen = 0;
    this.#externalPerMs = 0;
    this.#bracketPerMs = undefined;
    this.tinyBurst.forget();
    this.#restartDraws();
  }

  /**
   * Where the burst holds at most a few reading steps of `quantum` (`isFloored`: counted requests,
   * else rounded tokens), paces on the net refill admissions and refusals bracket; returns whether
   * the refill believed changed.
   */
  readBracket(limit: number, quantum: number, isFloored: boolean, windowMs: number, nowMs: number): boolean {
    const capacity = this.capacity(limit);
    const next =
      this.#peak === undefined
        ? undefined
        : this.tinyBurst.netRefillPerMs({ limit, capacity, quantum, isFloored, windowMs }, nowMs);
    if (next === this.#bracketPerMs) return false;
    this.#bracketPerMs = next;
    return true;
  }

  #restartDraws(): void {
    this.#draws = [];
    this.#largestDraws = [];
    this.#drawSpanMs = 0;
    this.#drawn = 0;
  }

  /**
   * Other clients of the organization (other tools, teammates) draw on the same budget unseen. Every
   * re-sync corrects our bucket by what the server counted and we did not: that correction plus the
   * refill we already left to others is what they drew in the interval. Summed over a horizon of
   * consecutive re-syncs the sum telescopes, so the error of each reading (`remaining` rounded or
   * floored) cancels except at the two ends: one rounding step over the horizon, which is kept long
   * enough in steps that this stays small. Returns whether the estimate changed.
   */
  noteCorrection(c: Correction): boolean {
    const last = this.#lastSyncAtMs;
    this.#lastSyncAtMs = c.nowMs;
    if (last === undefined || c.nowMs < last || !Number.isFinite(c.predicted)) {
      this.#restartDraws();
      return false;
    }
    // While our bucket sat full (a cool-down, no demand) the server's may have been full too and
    // others' draw is invisible: that time is left out of the span, but the correction stays in the
    // sum, which must keep telescoping. (Restarting the sum instead, as before, erased every sample
    // when cool-downs came often: with a burst of about one request it never learned a competitor.)
    const fullMs =
      c.spilled > c.quantum / 2 && c.bucketPerMs > 0
        ? Math.min(c.nowMs - last, c.spilled / c.bucketPerMs)
        : 0;
    const spanMs = c.nowMs - last - fullMs;
    const drawn = c.predicted - c.level + Math.max(0, c.nominalPerMs - c.bucketPerMs) * spanMs;
    // Half a bucket gone in a tenth of a window is a one-off drain (a batch elsewhere, a quota cut),
    // not a rate: the level already shows it, and counting it for a whole horizon would hold it back twice.
    // Not within two reading steps, though: in a burst of about one request that is what one refusal
    // shows, and refusals are all that show others' draw there.
    const oneOff = Math.max(c.capacity / 2, 2 * c.quantum);
    if (drawn > oneOff && spanMs < c.windowMs / 10) return false;
    const draw = { spanMs, drawn };
    this.#draws.push(draw);
    while ((this.#largestDraws.at(-1)?.drawn ?? Number.POSITIVE_INFINITY) <= drawn) this.#largestDraws.pop();
    this.#largestDraws.push(draw);
    this.#drawSpanMs += spanMs;
    this.#drawn += drawn;
    const horizonMs = Math.min(
      MAX_EXTERNAL_HORIZON_MS,
      Math.max(
        MIN_EXTERNAL_HORIZON_MS,
        EXTERNAL_HORIZON_WINDOWS * c.windowMs,
        (EXTERNAL_HORIZON_QUANTA * c.quantum) / c.nominalPerMs,
      ),
    );
    while (this.#draws.length > 1 && this.#drawSpanMs - this.#draws[0]!.spanMs >= horizonMs) {
      const oldest = this.#draws.shift()!;
      if (this.#largestDraws[0] === oldest) this.#largestDraws.shift();
      this.#drawSpanMs -= oldest.spanMs;
      this.#drawn -= oldest.drawn;
    }
    if (this.#drawSpanMs < horizonMs / 4) return false;
    // One rounding step of dead band: the noise of the two end readings alone never makes a phantom
    // competitor (a real one shows as a sum that keeps growing with the span). Nor does a drain seen in
    // one interval, whatever its span (a teammate's batch, a quota cut, a bucket emptied while we were
    // idle): it is a level, not a rate, and read as a rate it held a drained 30-RPM pool to a tenth of
    // its refill for the whole horizon.
    const largest = this.#isOneOff(this.#largestDraws[0], oneOff, c.quantum > 1)
      ? this.#largestDraws[0]!.drawn
      : 0;
    const measured = Math.max(0, this.#drawn - Math.max(c.quantum, largest)) / this.#drawSpanMs;
    const next = Math.min(c.nominalPerMs * (1 - MIN_OWN_REFILL_SHARE), measured);
    if (Math.abs(next - this.#externalPerMs) < 1e-9) return false;
    this.#externalPerMs = next;
    return true;
  }

  /**
   * Whether the horizon's largest draw was a drain rather than part of a steady rate: above `oneOff`,
   * and (`isRateCompared`, token counts) drawn at least twice as fast as the rest of the horizon. A
   * steady heavy draw between answers a second apart, a `retry-after` wait, is as large in one
   * interval; taken for a drain it was subtracted and left others' draw ~40 % short, so big requests
   * met 429 after 429. A count keeps the plain rule: with a burst of about one request a client
   * sending at random draws in lumps, and compared by rate they read as a steady draw (1.7-2.0 ×).
   */
  #isOneOff(
    draw: { readonly spanMs: number; readonly drawn: number } | undefined,
    oneOff: number,
    isRateCompared: boolean,
  ): boolean {
    if (draw === undefined || draw.drawn <= oneOff) return false;
    if (!isRateCompared) return true;
    const restSpanMs = this.#drawSpanMs - draw.spanMs;
    if (restSpanMs <= 0 || draw.spanMs <= 0) return true;
    return draw.drawn / draw.spanMs > (2 * Math.max(0, this.#drawn - draw.drawn)) / restSpanMs;
  }

  /**
   * A server whose `-reset` already accounts for other clients' draw ("full in 120 s" for a bucket
   * our nominal refill fills in 60 s) tells the net refill outright: use it at once. What is missing
   * is taken against the burst believed once a few answers have shown it, before that against the
   * limit (the most a bucket holds): a first answer that found the bucket part-drained would
   * otherwise read as a phantom competitor. Returns whether the estimate changed.
   */
  learnNetRefill(remaining: number, resetAtMs: number | undefined, nowMs: number, limit: number): boolean {
    if (resetAtMs === undefined || resetAtMs - nowMs < MIN_RESET_FOR_RATE_MS) return false;
    const capacity = this.#levelsSeen >= LEVELS_FOR_BURST ? this.capacity(limit) : limit;
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
