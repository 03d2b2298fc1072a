import { RefillBracket } from './refillBracket';

/** A burst of at most this many reading steps is tiny: paced from admissions and refusals. */
export const TINY_BURST_STEPS = 4;
/** The bracket keeps the requests of this many windows, within the bounds below. */
const BRACKET_WINDOWS = 60;
const MIN_BRACKET_HORIZON_MS = 10_000;
const MAX_BRACKET_HORIZON_MS = 120_000;
/** A bracket narrower than this share of its top is narrow enough: pace on its safe (low) edge. */
const NARROW_BRACKET = 0.04;
/**
 * Where in a wider bracket the next request probes, from its low edge: a refusal costs more than a
 * slow admission. A request count probes low: at a pace too high, every request risks a refusal. A
 * token count probes halfway: there only the requests near the burst are refused (the small ones
 * fit at any pace), so a probe costs fewer refusals and a quarter-way one left the pace ~10 % under
 * the net refill for twenty windows and more.
 */
const PROBE_AT_COUNT = 0.25;
const PROBE_AT_TOKENS = 0.5;
/** How much a ceiling rises per horizon once the refusals that set it aged out. */
const CEILING_RISE = 0.25;

/** One dimension's bucket as known: its per-minute limit, the burst shown, the reading step, the pool's window. */
export interface TinyBurstShape {
  readonly limit: number;
  readonly capacity: number;
  readonly quantum: number;
  /** True for a floored count (requests): the burst shown may hide up to one more; a rounded one (tokens) a step. */
  readonly isFloored: boolean;
  readonly windowMs: number;
}

/**
 * Pacing where a limit's burst holds only a few reading steps (a limit enforced over a second):
 * `remaining` says next to nothing there, so others' draw is read from when the server admitted
 * or refused our requests (RefillBracket). Until a refusal caps the refill, the draw learned from
 * re-sync corrections rules; once one does, we pace inside the bracket: on its safe (low) edge
 * once it is narrow, else on a probe part of the way up, which narrows it either way.
 */
export class TinyBurstPacing {
  /** When and how our requests were admitted or refused. */
  readonly bracket = new RefillBracket();
  /** When the bracket last found no steady net refill that explains what our requests met. */
  #contradictedAtMs = Number.NEGATIVE_INFINITY;
  /** The last ceiling refusals put on the net refill, and when. */
  #ceiling: { readonly perMs: number; readonly atMs: number } | undefined;

  /** Forgets everything (the limit changed). */
  forget(): void {
    this.bracket.forget();
    this.#ceiling = undefined;
    this.#contradictedAtMs = Number.NEGATIVE_INFINITY;
  }

  /** The net refill per ms to pace on, or undefined where this does not apply (a larger burst, no ceiling, others drawing at random). */
  netRefillPerMs(shape: TinyBurstShape, nowMs: number): number | undefined {
    const { limit, capacity, quantum, isFloored, windowMs } = shape;
    if (capacity > TINY_BURST_STEPS * quantum) return undefined;
    const horizonMs = Math.min(
      MAX_BRACKET_HORIZON_MS,
      Math.max(MIN_BRACKET_HORIZON_MS, BRACKET_WINDOWS * windowMs),
    );
    const nominalPerMs = limit / 60_000;
    // The burst shown is a lower bound: a reading may hide up to a step more of it.
    const bounds = { least: capacity, most: Math.min(limit, capacity + quantum), isStepped: isFloored };
    const range = this.bracket.range(bounds, nominalPerMs, nowMs - horizonMs);
    if (range?.isContradicted) this.#contradictedAtMs = nowMs;
    if (range?.isCapped) this.#ceiling = { perMs: range.high, atMs: nowMs };
    // A ceiling whose refusals aged out still holds, rising a quarter per horizon: others' draw may
    // have eased, but starting over from the nominal refill would cost a refusal each horizon.
    const ceiling = this.#ceiling;
    const high = ceiling
      ? ceiling.perMs * (1 + (CEILING_RISE * (nowMs - ceiling.atMs)) / horizonMs)
      : nominalPerMs;
    // Others who draw at random make refusals at any pace: read as ceilings they would ratchet the
    // pace down. Once they contradicted a steady refill, the draw learned from corrections rules.
    const isSteady = nowMs - this.#contradictedAtMs > horizonMs;
    if (!range || high >= nominalPerMs || !isSteady) {
      this.#ceiling = undefined;
      return undefined;
    }
    const top = Math.min(range.high, high);
    // Until admissions show more, assume at least half the ceiling is left to us: if not, a refusal
    // halves it, so a heavy draw is found in a few, a light one at once.
    const low = Math.min(top, Math.max(range.low, top / 2));
    if (top - low <= NARROW_BRACKET * top) return low;
    return low + (isFloored ? PROBE_AT_COUNT : PROBE_AT_TOKENS) * (top - low);
  }
}
