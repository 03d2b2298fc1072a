import { TINY_BURST_STEPS } from './tinyBurstPacing';
import { TokenBucket } from './tokenBucket';

/** A reading as the twin takes it: from `lowest` up to `band` more (0: a point). */
export interface TwinReading {
  readonly lowest: number;
  readonly band: number;
}

/** What is known of others' draw on a bucket: none seen, a net refill bracketed, or a draw estimated. */
export type OthersDraw = 'none' | 'bracketed' | 'estimated';

/** What one re-sync makes of a bucket: the level it predicted and the level it now holds, for the reading twin too. */
export interface SyncResult {
  /** The reading twin's prediction and new level: what teaches others' draw. */
  readonly predicted: number;
  readonly level: number;
  /** Refill the reading twin lost to its cap since its previous re-sync. */
  readonly spilled: number;
}

/**
 * One dimension's budget as admission sees it, plus its reading twin. A `remaining` reading is an
 * interval, not a point: a floored count hides up to one step, and a reading taken when the server
 * admitted the request is as old as the answer's latency, so the server may hold up to that much
 * refill more. Setting the bucket to the reading's lower edge at every answer threw the hidden part
 * away again and again: with a burst of about one request and answers as slow as a refill slot,
 * most of the rate. So where it is asked to, a re-sync keeps the bucket's own prediction while the
 * reading allows it, and moves it only to the nearer edge when the reading rules it out. That never
 * raises the bucket above what its own accounting predicts.
 *
 * The twin measures other clients' draw from the corrections readings force on it; they telescope
 * over consecutive readings, so their sum over a span is others' draw within one reading's width.
 * Where a reading hides as much as half the bucket, it keeps its prediction while the reading allows
 * it and moves only to the nearer edge; elsewhere it takes the likeliest level (a token count's
 * midpoint, a request count's floor). Taking each lower edge made a phantom competitor wherever
 * the true level sits high in the interval for a while: `remaining: 0` on a burst of 1.33 requests
 * whenever requests were not the binding limit, and the 500 tokens of rounding slack.
 */
export class SyncedBucket {
  /** The bucket admission waits on. */
  readonly paced: TokenBucket;
  readonly #twin: TokenBucket;
  /** False until a first reading set the level: before it the level is an assumption (a full bucket), not accounting. */
  #isAccounted = false;
  #isTwinAccounted = false;

  /** An unbounded bucket (no limit known yet), as of `nowMs`. */
  constructor(nowMs: number) {
    this.paced = new TokenBucket(Number.POSITIVE_INFINITY, 0, nowMs);
    this.#twin = new TokenBucket(Number.POSITIVE_INFINITY, 0, nowMs);
  }

  /** Takes `amount` from both (a request sent, a reservation adopted). */
  take(amount: number, nowMs: number): void {
    this.paced.take(amount, nowMs);
    this.#twin.take(amount, nowMs);
  }

  /** Gives `amount` back to both (a refusal's refund, a settled difference). */
  give(amount: number, nowMs: number): void {
    this.paced.give(amount, nowMs);
    this.#twin.give(amount, nowMs);
  }

  /** New capacity and refill for both; a bucket that had no limit starts full. */
  reshape(capacity: number, perMinute: number, nowMs: number): void {
    const wasUnbounded = !Number.isFinite(this.paced.capacity);
    this.paced.reshape(capacity, perMinute, nowMs);
    this.#twin.reshape(capacity, perMinute, nowMs);
    if (wasUnbounded) {
      this.#isAccounted = false;
      this.#isTwinAccounted = false;
      this.paced.setLevel(this.paced.capacity, nowMs);
      this.#twin.setLevel(this.#twin.capacity, nowMs);
    }
  }

  /**
   * What a reading of a request sent at `sentAtMs` may hide: its rounding `step` (a floored count: 1;
   * tokens rounded to thousands: 1,000) plus the refill since, where that matters: only when the
   * bucket holds at most `burstSteps` of that (default 2: the twin's rule; in a larger bucket the lag
   * is one-time and the lower edge the safer reading, 0).
   */
  hiddenByReading(sentAtMs: number, nowMs: number, step: number, burstSteps = 2): number {
    const hidden = step + this.paced.ratePerMs * Math.max(0, nowMs - sentAtMs);
    return hidden * burstSteps >= this.paced.capacity ? hidden : 0;
  }

  /**
   * How far above a reading's lower edge admission may keep its own prediction (see `sync`). Alone
   * (`others` 'none'): all a reading hides where the burst is tiny (TINY_BURST_STEPS); snapping
   * to the lower edge instead cost half a step at every answer, 6-7 % of the rate where a burst is
   * four token steps. On a net refill bracketed from admissions and refusals ('bracketed'): the
   * refill since the reading, plus a quarter of a rounded (token) step; the rest of the step may be
   * others' draw. With others' draw only estimated ('estimated'): nothing, the lower edge.
   */
  band(sentAtMs: number, nowMs: number, step: number, isRounded: boolean, others: OthersDraw): number {
    if (others === 'estimated') return 0;
    if (others === 'none') return this.hiddenByReading(sentAtMs, nowMs, step, TINY_BURST_STEPS);
    return this.hiddenByReading(sentAtMs, nowMs, isRounded ? step / 4 : step, Number.POSITIVE_INFINITY);
  }

  /**
   * Re-syncs to a reading whose lower edge is `lowest` and which allows up to `band` more (0: a
   * point) for admission, and as `twin` reads it for the twin; returns what the twin teaches.
   */
  sync(lowest: number, band: number, twin: TwinReading, nowMs: number): SyncResult {
    const predicted = this.paced.levelAt(nowMs);
    const twinPredicted = this.#twin.levelAt(nowMs);
    const spilled = this.#twin.takeSpilled(nowMs);
    const allowed = this.#isAccounted ? Math.max(0, band) : 0;
    this.paced.setLevel(Math.min(Math.max(predicted, lowest), lowest + allowed), nowMs);
    this.#isAccounted = true;
    const twinLevel = this.#isTwinAccounted
      ? Math.min(Math.max(twinPredicted, twin.lowest), twin.lowest + Math.max(0, twin.band))
      : twin.lowest;
    this.#isTwinAccounted = true;
    this.#twin.setLevel(twinLevel, nowMs);
    return { predicted: twinPredicted, level: twinLevel, spilled };
  }

  /**
   * A refusal proves the server held less than `ceiling` (the refused cost, in our terms): the twin
   * moves down to it if it predicted more. Returns what the twin teaches, like a re-sync.
   */
  refused(ceiling: number, nowMs: number): SyncResult {
    const predicted = this.#twin.levelAt(nowMs);
    const spilled = this.#twin.takeSpilled(nowMs);
    const level = Math.min(predicted, ceiling);
    this.#twin.setLevel(level, nowMs);
    return { predicted, level, spilled };
  }

  /**
   * A refusal's guess of the level (from `retry-after`, whole seconds): it can only lower what
   * admission waits on. It is no reading, so the twin keeps its own: a guess that the next answer
   * contradicts would otherwise break the telescoping sum of others' draw.
   */
  lowerTo(level: number, nowMs: number): void {
    this.paced.setLevel(Math.min(this.paced.levelAt(nowMs), level), nowMs);
  }
}
