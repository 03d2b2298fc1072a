import type { Clock, TimerHandle } from '../../pacer/index';

/**
 * Time the client spends at its limit (queued work held by pacing, a cool-down or a retry wait),
 * measured from scheduler changes. Snapshots cost something, so changes are sampled at most once
 * per `sampleMs`, but a change inside that window is sampled when it closes (a trailing sample):
 * the scheduler is quiet while it waits, so a dropped change could be the only one that starts or
 * ends an episode, and a three-minute wait would then count as nothing.
 */
export class AtLimitTimer {
  readonly #clock: Clock;
  readonly #isAtLimit: () => boolean;
  readonly #onSpan: (startMs: number, endMs: number) => void;
  readonly #sampleMs: number;
  #since: number | undefined;
  #lastSampleMs = Number.NEGATIVE_INFINITY;
  #trailing: TimerHandle | undefined;

  /** `isAtLimit` reads the scheduler; `onSpan` receives each finished episode. */
  constructor(
    clock: Clock,
    isAtLimit: () => boolean,
    onSpan: (startMs: number, endMs: number) => void,
    sampleMs = 1000,
  ) {
    this.#clock = clock;
    this.#isAtLimit = isAtLimit;
    this.#onSpan = onSpan;
    this.#sampleMs = sampleMs;
  }

  /** The scheduler changed. */
  changed(): void {
    const now = this.#clock.now();
    const dueMs = this.#lastSampleMs + this.#sampleMs;
    if (now >= dueMs) {
      this.#sample(now);
      return;
    }
    this.#trailing ??= this.#clock.setTimer(() => {
      this.#trailing = undefined;
      this.#sample(this.#clock.now());
    }, dueMs - now);
  }

  /** The episode still going on, in ms (0 when not at the limit): reports add it to the recorded time. */
  openMs(): number {
    return this.#since === undefined ? 0 : Math.max(0, this.#clock.now() - this.#since);
  }

  /** Stops sampling; an open episode is closed now. */
  dispose(): void {
    if (this.#trailing) this.#clock.clearTimer(this.#trailing);
    this.#trailing = undefined;
    if (this.#since !== undefined) this.#onSpan(this.#since, this.#clock.now());
    this.#since = undefined;
  }

  #sample(now: number): void {
    this.#lastSampleMs = now;
    const atLimit = this.#isAtLimit();
    if (atLimit && this.#since === undefined) this.#since = now;
    if (!atLimit && this.#since !== undefined) {
      this.#onSpan(this.#since, now);
      this.#since = undefined;
    }
  }
}

/** Splits a span at local midnights: [day, ms] per local day it covers (for per-day totals). */
export function spanByDay(
  startMs: number,
  endMs: number,
  dayOf: (ms: number) => string,
  nextMidnight: (ms: number) => number,
): Array<[string, number]> {
  const parts: Array<[string, number]> = [];
  let from = startMs;
  while (from < endMs) {
    const to = Math.min(endMs, nextMidnight(from));
    parts.push([dayOf(from), to - from]);
    from = to;
  }
  return parts;
}
