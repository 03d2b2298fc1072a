import { nextReservationSeq, type Reservation } from './reservations';
import type { CooledLimit } from './waitCause';

/** Ramp caps above this many in flight are lifted altogether. */
const MAX_RAMP_CAP = 64;

/**
 * What holds a whole pool back apart from its buckets: a cool-down after a 429 that named a
 * request limit (or none), and a slower ramp after an acceleration limit (AIMD on requests in flight).
 */
export class PoolThrottle {
  #coolingUntilMs = 0;
  #cooledLimit: CooledLimit = 'unnamed';
  #concurrencyCap = Number.POSITIVE_INFINITY;
  #slowedAfterSeq = 0;

  /** Stops sending until `untilMs` (a 429's retry-after or reset); a later end wins. */
  coolUntil(untilMs: number, limit: CooledLimit): void {
    if (untilMs > this.#coolingUntilMs) {
      this.#coolingUntilMs = untilMs;
      this.#cooledLimit = limit;
    }
  }

  /** Ends a cool-down early (the user's "Retry now"). */
  clearCooling(): void {
    this.#coolingUntilMs = 0;
  }

  /** End of the current cool-down, or 0. */
  coolingUntilMs(nowMs: number): number {
    return this.#coolingUntilMs > nowMs ? this.#coolingUntilMs : 0;
  }

  /** The limit whose 429 started the current (or last) cool-down. */
  get cooledLimit(): CooledLimit {
    return this.#cooledLimit;
  }

  /** True when `inFlight` requests already fill the slowed ramp. */
  isRampFull(inFlight: number): boolean {
    return inFlight >= Math.floor(this.#concurrencyCap);
  }

  /** After an acceleration-limit 429: half as many in flight, growing back by about one per round. */
  slowRamp(inFlight: number): void {
    this.#concurrencyCap = Math.max(1, Math.floor(Math.min(this.#concurrencyCap, inFlight + 1) / 2));
    this.#slowedAfterSeq = nextReservationSeq();
  }

  /** A request succeeded; one sent after the last slowdown lets a slowed ramp grow (additive increase). */
  noteSuccess(reservation: Reservation): void {
    if (!Number.isFinite(this.#concurrencyCap) || reservation.seq < this.#slowedAfterSeq) return;
    this.#concurrencyCap += 1 / Math.max(1, Math.floor(this.#concurrencyCap));
    if (this.#concurrencyCap > MAX_RAMP_CAP) this.#concurrencyCap = Number.POSITIVE_INFINITY;
  }
}
