import type { Cost } from './cost';
import type { Dimension } from './dimensions';

/** One request's draw on a pool, kept until the server has certainly seen it. */
export interface Reservation {
  readonly seq: number;
  readonly atMs: number;
  readonly cost: Cost;
  /** The request this is an attempt of (its retries share it), if the caller named one. */
  readonly requestId?: string;
  isDone: boolean;
  /** True once a later response's headers already include this request's real input count. */
  isInputSeenByServer: boolean;
  /** True once this request's own response headers were synced (the server has certainly counted it). */
  isHeard: boolean;
}

/** Reservations kept at most this long without a header to settle them. */
const RESERVATION_MAX_AGE_MS = 120_000;
/** Pruning looks at the front once this many reservations are kept. */
const PRUNE_AT = 64;

// One sequence for every pool, so reservations moved between pools (organization merges) stay ordered.
const sequence = { next: 1 };

/** The next reservation sequence number (also marks "everything reserved from now on"). */
export function nextReservationSeq(): number {
  return sequence.next;
}

/** Whether the server had certainly counted `r` when it answered the request numbered `sourceSeq`. */
function isSeenBy(r: Reservation, sourceSeq: number): boolean {
  return r.seq < sourceSeq && (r.isHeard || r.isDone);
}

/**
 * The reservations of one pool: what was sent and not yet certainly counted by the server, so a
 * header sync can subtract what its `remaining` cannot include yet.
 */
export class ReservationLedger {
  #items: Reservation[] = [];
  #inFlight = 0;
  #lastSyncSeq = 0;

  /** Requests reserved and not yet settled or refunded. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Records a request sent now. */
  add(cost: Cost, nowMs: number, requestId?: string): Reservation {
    const reservation: Reservation = {
      seq: sequence.next++,
      atMs: nowMs,
      cost: { ...cost },
      ...(requestId !== undefined ? { requestId } : {}),
      isDone: false,
      isInputSeenByServer: false,
      isHeard: false,
    };
    this.#items.push(reservation);
    this.#inFlight++;
    if (this.#items.length > PRUNE_AT) this.#prune(nowMs);
    return reservation;
  }

  /** Drops a refused request (the server counted nothing); false when it was not pending. */
  forget(reservation: Reservation): boolean {
    const index = this.#items.indexOf(reservation);
    if (index < 0 || reservation.isDone) return false;
    reservation.isDone = true;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#items.splice(index, 1);
    return true;
  }

  /** Marks a request finished (its usage is final); false when it already was. */
  finish(reservation: Reservation): boolean {
    if (reservation.isDone) return false;
    reservation.isDone = true;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    return true;
  }

  /**
   * What a `remaining` computed when the server admitted `source` cannot include yet, in one
   * dimension: requests sent after the source, and earlier ones still in flight whose own headers
   * have not arrived (over several connections a later request can reach the server first). Output
   * still being generated is never in it (real-time OTPM). `source` undefined: nothing is seen.
   */
  unseen(dimension: Dimension, source: Reservation | undefined): number {
    const sourceSeq = source?.seq ?? Number.POSITIVE_INFINITY;
    let total = 0;
    for (const r of this.#items) {
      const isCounted = r === source || isSeenBy(r, sourceSeq);
      const isOutputPending = !r.isDone || !isCounted;
      if (dimension === 'outputTokens') total += isOutputPending ? r.cost.outputTokens : 0;
      else if (dimension === 'tokens')
        total += (isCounted ? 0 : r.cost.inputTokens) + (isOutputPending ? r.cost.outputTokens : 0);
      else if (!isCounted) total += r.cost[dimension];
    }
    return total;
  }

  /** After a sync from `source`: it and everything it saw count as heard; settled ones are dropped. */
  markSynced(source: Reservation): void {
    this.#lastSyncSeq = Math.max(this.#lastSyncSeq, source.seq);
    source.isHeard = true;
    for (const r of this.#items) if (r === source || isSeenBy(r, source.seq)) r.isInputSeenByServer = true;
    this.#items = this.#items.filter((r) => !(r.isDone && r.seq <= source.seq));
  }

  /**
   * Takes over another ledger's pending reservations (a provisional pool joined its organization);
   * returns those sent after this ledger's last sync, which this pool's levels do not include yet.
   */
  adopt(other: ReservationLedger): Reservation[] {
    const moved = other.#items.filter((r) => !r.isDone);
    this.#items = [...this.#items, ...moved].sort((a, b) => a.seq - b.seq);
    this.#inFlight += moved.length;
    other.#items = [];
    other.#inFlight = 0;
    return moved.filter((r) => r.seq > this.#lastSyncSeq);
  }

  #prune(nowMs: number): void {
    // Reservations are appended in sequence order, so settled old ones gather at the front:
    // dropping them there keeps add() O(1) amortised.
    let drop = 0;
    while (drop < this.#items.length) {
      const r = this.#items[drop]!;
      if (!r.isDone || (nowMs - r.atMs < RESERVATION_MAX_AGE_MS && r.seq > this.#lastSyncSeq)) break;
      drop++;
    }
    if (drop > 0) this.#items.splice(0, drop);
  }
}
