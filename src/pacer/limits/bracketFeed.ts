import { admissionCharge } from './admissionHistory';
import type { ChargeRatios } from './chargeRatios';
import type { DimensionLearner } from './dimensionLearner';
import { isTokenDimension, type Dimension } from './dimensions';
import { ROUNDING_SLACK, roundingStep } from './poolSettings';
import type { Reservation } from './reservations';

/** Dimensions the server charges whole at admission: their refill can be read from admissions and refusals. */
const BRACKETED: readonly Dimension[] = ['requests', 'inputTokens'];

/** What the feed reads of its pool. */
export interface BracketedPool {
  limit(d: Dimension): number | undefined;
  /** The pool's window (time its slowest bucket takes to refill from empty), if known. */
  windowMs(): number | undefined;
}

/**
 * Feeds what became of one pool's requests (sent, admitted with a reading, refused, void) to the
 * brackets of its dimensions charged whole at admission (see TinyBurstPacing), and re-reads them.
 */
export class BracketFeed {
  readonly #learners: Readonly<Record<Dimension, DimensionLearner>>;
  readonly #pool: BracketedPool;
  readonly #reshape: (d: Dimension, nowMs: number) => void;
  readonly #chargeRatios: ChargeRatios;

  /** Feeds `learners` of `pool` and its `chargeRatios`; `reshape` is called when a dimension's believed refill changed. */
  constructor(
    learners: Readonly<Record<Dimension, DimensionLearner>>,
    pool: BracketedPool,
    chargeRatios: ChargeRatios,
    reshape: (d: Dimension, nowMs: number) => void,
  ) {
    this.#learners = learners;
    this.#pool = pool;
    this.#chargeRatios = chargeRatios;
    this.#reshape = reshape;
  }

  /** `r` was sent. */
  sent(r: Reservation): void {
    for (const d of BRACKETED) this.#learners[d].tinyBurst.bracket.noteSent(r.seq, r.atMs);
    this.#chargeRatios.noteSent(r);
  }

  /** `r` was not admitted (refused by some limit; a refused limit says so with `refused`). */
  voided(r: Reservation): void {
    for (const d of BRACKETED) this.#learners[d].tinyBurst.bracket.noteVoid(r.seq);
  }

  /** `r` ended: admitted (`isAnswered`) at its now exact charge, or without an answer (charged or not); re-reads only on news. */
  settled(r: Reservation, isAnswered: boolean, nowMs: number): void {
    this.#chargeRatios.noteSettled(r, isAnswered);
    for (const d of BRACKETED) {
      const { bracket } = this.#learners[d].tinyBurst;
      const charge = admissionCharge(d, r);
      const isFate = isAnswered ? bracket.noteAdmitted(r.seq, charge) : bracket.noteUnknown(r.seq, charge);
      const isCharge = isAnswered && r.requestId !== undefined && bracket.noteCharged(r.requestId, charge);
      // An answer whose headers were already read, at the charge estimated then, teaches nothing new.
      if (isFate || isCharge) this.#read(d, nowMs);
    }
  }

  /** The server admitted `r` and showed `remaining` in `d` right after (rounded to thousands for tokens, floored for requests). */
  admitted(d: Dimension, r: Reservation, remaining: number, nowMs: number): void {
    if (!BRACKETED.includes(d)) return;
    const slack = isTokenDimension(d) ? ROUNDING_SLACK[d] : 0;
    const reading = [remaining - slack, remaining + (isTokenDimension(d) ? slack : 1)] as const;
    const { bracket } = this.#learners[d].tinyBurst;
    bracket.noteAnswered(r.seq, nowMs);
    bracket.noteAdmitted(r.seq, admissionCharge(d, r), reading);
    this.#read(d, nowMs);
  }

  /**
   * `d` refused `r`, whose charge there was `cost` (estimated, for tokens). A token count is a
   * bound, not a guess, once answers showed how the server counts: it charged at least the lowest
   * share of our estimate lately seen, so the refusal caps the refill at once, where waiting for an
   * answered retry let a near-burst request be refused again and again at the nominal pace.
   */
  refused(d: Dimension, r: Reservation, cost: number, nowMs: number): void {
    if (!BRACKETED.includes(d)) return;
    const { bracket } = this.#learners[d].tinyBurst;
    bracket.noteAnswered(r.seq, nowMs);
    if (!isTokenDimension(d)) bracket.noteRefused(r.seq, cost, true, r.requestId);
    else if (!this.#chargeRatios.isKnown) bracket.noteRefused(r.seq, cost, false, r.requestId);
    else bracket.noteRefused(r.seq, Math.floor(cost * this.#chargeRatios.lowest), true, r.requestId);
    this.#read(d, nowMs);
  }

  #read(d: Dimension, nowMs: number): void {
    const limit = this.#pool.limit(d);
    if (limit === undefined) return;
    const windowMs = this.#pool.windowMs() ?? 60_000;
    if (this.#learners[d].readBracket(limit, roundingStep(d), !isTokenDimension(d), windowMs, nowMs))
      this.#reshape(d, nowMs);
  }
}
