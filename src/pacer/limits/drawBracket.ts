/** Steps of the search, as a share of the nominal refill: the precision it settles at (a makespan within it). */
const STEP_SHARE = 0.05;
/**
 * Bounds are forgotten after this many refill slots (the nominal time of one request's charge: a
 * second at 60 RPM): others' draw changes, and an old refusal must not hold us back for good…
 */
const BOUND_LIFETIME_SLOTS = 100;
/**
 * …but never sooner than this: forgetting means one more refusal to find the draw again, and a
 * refusal costs its whole-second `retry-after` however short the slot (40 slots at 2,400 RPM).
 */
const MIN_BOUND_LIFETIME_MS = 90_000;
/** Contradictions within a lifetime that make the bounds noise. */
const NOISY_CONTRADICTIONS = 2;
/** We always keep at least this share of the refill (as the telescoping estimate does). */
const MIN_OWN_REFILL_SHARE = 0.1;

interface Bound {
  readonly atMs: number;
  readonly perMs: number;
}

/**
 * Others' draw where readings cannot show it: a bucket that holds exactly one request (60 RPM
 * enforced as 1 per second). `remaining` is 0 after every admission and `retry-after` says 1 s
 * whatever the shortfall, so the only evidence is whether each send fitted. A send `Δ` after our
 * previous admission drained the bucket, charged `cost`, fits exactly when the refill left to us,
 * nominal − draw, brought `cost` in `Δ`: an admission bounds the draw from above by
 * nominal − cost/Δ and a refusal from below. This keeps both bounds and searches between them:
 * doubling up from the highest refusal until a send fits, halving the interval after, settling at
 * the lowest admitted draw once the interval is one step wide, and stepping down from it again
 * when the refusals that held it up are forgotten (others may draw less now).
 *
 * Read from refusals alone (each one read as a whole request drawn, the telescoping estimate's
 * view), others' draw took as many refusals as it was large: 5–12 % of requests refused.
 */
export class DrawBracket {
  #lows: Bound[] = [];
  #highs: Bound[] = [];
  #perMs = 0;
  /** When refusals contradicted an admitted bound, within the bounds' lifetime. */
  #contradictedAtMs: number[] = [];

  /** Others' draw per ms to pace with. */
  get perMs(): number {
    return this.#perMs;
  }

  /** True when refusals lately contradicted admissions of faster sends: draws come in bursts, not as a rate. */
  get isNoisy(): boolean {
    return this.#contradictedAtMs.length >= NOISY_CONTRADICTIONS;
  }

  /**
   * A send charged `cost`, `sinceDrainMs` after our previous admission drained the bucket, was
   * admitted or refused; `nominalPerMs` is the limit's own refill. Returns the draw to pace with now.
   */
  note(isAdmitted: boolean, cost: number, sinceDrainMs: number, nominalPerMs: number, nowMs: number): number {
    if (!(sinceDrainMs > 0) || !(cost > 0) || !(nominalPerMs > 0)) return this.#perMs;
    const perMs = nominalPerMs - cost / sinceDrainMs;
    // Bounds that contradict the new one are older news: others' draw changed. A refusal of a send
    // slower than one admitted is also what a client sending now and then does (it takes the slot at
    // random, whatever our pace): seen twice within a lifetime, the bounds are noise (isNoisy).
    if (isAdmitted) {
      this.#lows = this.#lows.filter((b) => b.perMs < perMs);
      this.#highs.push({ atMs: nowMs, perMs });
    } else {
      if (this.#highs.some((b) => b.perMs <= perMs)) this.#contradictedAtMs.push(nowMs);
      this.#highs = this.#highs.filter((b) => b.perMs > perMs);
      this.#lows.push({ atMs: nowMs, perMs });
    }
    const lifetimeMs = Math.max(MIN_BOUND_LIFETIME_MS, (BOUND_LIFETIME_SLOTS * cost) / nominalPerMs);
    const isFresh = (b: Bound): boolean => nowMs - b.atMs <= lifetimeMs;
    this.#contradictedAtMs = this.#contradictedAtMs.filter((atMs) => nowMs - atMs <= lifetimeMs);
    this.#lows = this.#lows.filter(isFresh);
    this.#highs = this.#highs.filter(isFresh);
    const step = STEP_SHARE * nominalPerMs;
    const lo = this.#lows.length > 0 ? Math.max(...this.#lows.map((b) => b.perMs)) : undefined;
    const hi = this.#highs.length > 0 ? Math.min(...this.#highs.map((b) => b.perMs)) : undefined;
    let draw: number;
    if (lo !== undefined && hi !== undefined) draw = hi - lo <= step * (1 + 1e-9) ? hi : (lo + hi) / 2;
    else if (lo !== undefined) draw = Math.max(0, lo) + Math.max(step, lo);
    // Only admissions: step down from what we paced with (never up to a bound an idle gap made loose).
    else draw = Math.min(hi ?? this.#perMs, this.#perMs) - step;
    this.#perMs = Math.min(nominalPerMs * (1 - MIN_OWN_REFILL_SHARE), Math.max(0, draw));
    return this.#perMs;
  }
}
