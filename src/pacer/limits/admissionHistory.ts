import type { Dimension } from './dimensions';
import type { Reservation } from './reservations';

/** Recent answered requests kept for burst learning. */
const KEPT = 64;

/** What the server charged request `r` in dimension `d` at admission (before any output). */
export function admissionCharge(d: Dimension, r: Reservation): number {
  if (d === 'requests') return r.cost.requests;
  if (d === 'inputTokens') return r.cost.inputTokens;
  // Real-time OTPM charges output as it is generated: nothing of it at admission.
  return d === 'tokens' ? r.cost.inputTokens : 0;
}

/**
 * The requests a pool's server answered lately, in sending order, so any one answer can tell the
 * level the server must have had before a burst: for each recent admission k, the level then was
 * at least what remains now plus everything charged since k, less the most the bucket can refill
 * in that time (its limit's rate) — others' draw only makes it higher — and at least k's own charge
 * (the server admitted it). The charge matters where answers take a refill slot or more: there the
 * first bound is about 0, and a believed burst below one request paced nothing at all.
 */
export class AdmissionHistory {
  readonly #items: Reservation[] = [];

  /** The server admitted `r` (its answer came, with or without headers). */
  note(r: Reservation): void {
    // Answers arrive out of order; keep the history in sending order.
    let at = this.#items.length;
    while (at > 0 && this.#items[at - 1]!.atMs > r.atMs) at--;
    this.#items.splice(at, 0, r);
    if (this.#items.length > KEPT) this.#items.shift();
  }

  /** The highest level in `d` the server must have had lately, given `reported` now and a refill of `ratePerMs`. */
  levelBefore(d: Dimension, reported: number, ratePerMs: number, nowMs: number): number {
    let charged = 0;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const r = this.#items[i]!;
      charged += admissionCharge(d, r);
      const sinceK = reported + charged - ratePerMs * Math.max(0, nowMs - r.atMs);
      best = Math.max(best, admissionCharge(d, r), sinceK);
    }
    return best;
  }
}
