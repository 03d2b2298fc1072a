/** Most recent requests a bracket keeps. */
const KEPT = 64;
/** Bisection steps: the bracket's edges to about 1/65,000 of the nominal refill. */
const STEPS = 16;
/** A capacity known only within an interval is tried at this many steps across it. */
const CAPACITY_STEPS = 8;

/** What became of one request, as one dimension of the server's bucket saw it. */
type Fate =
  | { readonly kind: 'pending' }
  /** Admitted and charged `cost`; `reading`: the level the server showed right after, as an interval. */
  | { readonly kind: 'admitted'; readonly cost: number; readonly reading?: readonly [number, number] }
  /** Refused by this dimension: the server held less than `cost` (once `isExact`: an estimate tells nothing). */
  | {
      readonly kind: 'refused';
      readonly cost: number;
      readonly isExact: boolean;
      readonly requestId?: string;
    }
  /** Not admitted (refused by another limit): charged nothing, tells nothing. */
  | { readonly kind: 'void' }
  /** Ended without an answer (a dropped connection): charged 0 or `cost`, we cannot tell. */
  | { readonly kind: 'unknown'; readonly cost: number };

interface Sent {
  readonly seq: number;
  readonly atMs: number;
  fate: Fate;
  /** Time from sending to the server's first answer (headers or a refusal), once it came. */
  answerDelayMs?: number;
}

/** What is known of the bucket's capacity: at least `least` (the highest level shown), at most `most`. */
export interface Capacity {
  readonly least: number;
  readonly most: number;
  /**
   * Try capacities across the interval one by one (a floored count of requests, where the level
   * after an admission is what a burst of 1 or 1.33 tells apart), rather than replay the interval
   * itself (token counts, whose rounding and estimated charges a single exact capacity contradicts).
   */
  readonly isStepped?: boolean;
}

/** Net refill per ms that every kept observation allows: from `low` to `high`. */
export interface RefillRange {
  readonly low: number;
  readonly high: number;
  /** True when a refusal among the observations put a ceiling under the nominal refill. */
  readonly isCapped: boolean;
  /** True when older observations had to be dropped: no steady net refill explained them all. */
  readonly isContradicted: boolean;
}

/**
 * The net refill of one server bucket (its refill less what unseen clients draw), bracketed by
 * what our own requests met. Where the burst holds only a few reading steps — a limit enforced
 * over a second, "60 RPM as 1 per second" — a reading after an admission says next to nothing
 * (`remaining: 0`) and the difference of readings, from which others' draw is learned elsewhere,
 * is lost in the rounding: what remains is *when* the server admitted or refused. Under a steady
 * net refill ρ the server's level is a monotone function of ρ, so an admission (the level held the
 * charge) bounds ρ from below and a refusal (it did not) from above, each via the whole sequence of
 * charges and refills since the oldest kept request; the range of ρ that explains them all is
 * found by bisection, and narrows with every probe like a binary search. An unseen client that
 * draws at random breaks the steady model now and then; the oldest observations are then dropped
 * until the rest agree again, so a contradiction never ratchets the estimate down.
 *
 * No library models a token bucket's level as an interval over its unknown refill: written here.
 */
export class RefillBracket {
  #sent: Sent[] = [];

  /** Request `seq` was sent at `atMs`. */
  noteSent(seq: number, atMs: number): void {
    this.#sent.push({ seq, atMs, fate: { kind: 'pending' } });
    if (this.#sent.length > KEPT) this.#sent.shift();
  }

  /**
   * The server's first answer to request `seq` (its headers, or a refusal) reached us at `atMs`.
   * The server met the request somewhere between its sending and then: a request whose answer took
   * longer than the quickest kept one may have reached the server that much later than it was sent.
   */
  noteAnswered(seq: number, atMs: number): void {
    const sent = this.#find(seq);
    if (sent && sent.answerDelayMs === undefined) sent.answerDelayMs = Math.max(0, atMs - sent.atMs);
  }

  /** Request `seq` was admitted and charged `cost`; `reading`: the level shown right after it, if any. Returns whether that is news. */
  noteAdmitted(seq: number, cost: number, reading?: readonly [number, number]): boolean {
    const sent = this.#find(seq);
    if (!sent) return false;
    const known = sent.fate.kind === 'admitted' ? sent.fate : undefined;
    if (known && known.cost === cost && (reading === undefined || known.reading === reading)) return false;
    const kept = reading ?? known?.reading;
    sent.fate = kept ? { kind: 'admitted', cost, reading: kept } : { kind: 'admitted', cost };
    return true;
  }

  /**
   * Request `seq` was refused by this dimension's limit at a charge of `cost`: exact (a request), or
   * estimated (tokens) until an answered retry of `requestId` shows the count (`noteCharged`).
   */
  noteRefused(seq: number, cost: number, isExact: boolean, requestId?: string): void {
    const sent = this.#find(seq);
    if (sent)
      sent.fate = { kind: 'refused', cost, isExact, ...(requestId !== undefined ? { requestId } : {}) };
  }

  /** An answered attempt of `requestId` was charged `cost`: the exact charge of its refused attempts (estimated or bounded till then). Returns whether that is news. */
  noteCharged(requestId: string, cost: number): boolean {
    let isNews = false;
    for (const sent of this.#sent)
      if (
        sent.fate.kind === 'refused' &&
        sent.fate.requestId === requestId &&
        (!sent.fate.isExact || sent.fate.cost !== cost)
      ) {
        sent.fate = { kind: 'refused', cost, isExact: true, requestId };
        isNews = true;
      }
    return isNews;
  }

  /** Request `seq` was not admitted for another reason (another limit refused it): nothing charged here. */
  noteVoid(seq: number): void {
    const sent = this.#find(seq);
    if (sent && sent.fate.kind === 'pending') sent.fate = { kind: 'void' };
  }

  /** Request `seq` ended without an answer: it may or may not have been charged `cost`. Returns whether that is news. */
  noteUnknown(seq: number, cost: number): boolean {
    const sent = this.#find(seq);
    if (!sent || sent.fate.kind !== 'pending') return false;
    sent.fate = { kind: 'unknown', cost };
    return true;
  }

  /** Forgets everything (the limit changed). */
  forget(): void {
    this.#sent = [];
  }

  /**
   * The range of net refill (per ms, within 0 and `nominalPerMs`) that explains every request kept
   * since `sinceMs` whose fate and all earlier fates are known, for a bucket whose capacity lies in
   * `capacity`; undefined until an admission and a later request are known. Contradicted oldest
   * observations are dropped.
   */
  range(shown: Capacity, nominalPerMs: number, sinceMs: number): RefillRange | undefined {
    while (this.#sent.length > 0 && this.#sent[0]!.atMs < sinceMs) this.#sent.shift();
    const pendingAt = this.#sent.findIndex((s) => s.fate.kind === 'pending');
    const known = pendingAt < 0 ? this.#sent : this.#sent.slice(0, pendingAt);
    if (known.length < 2 || !known.some((s) => s.fate.kind === 'admitted')) return undefined;
    const explain = (from: number): { low: number; high: number } | undefined =>
      this.#explain(withLateness(known.slice(from)), shown, nominalPerMs);
    let found = explain(0);
    let from = 0;
    if (!found) {
      // Fewer observations never explain less: search for the most that still agree.
      let good = known.length - 1;
      while (known[good]!.fate.kind !== 'admitted') good--;
      let bad = 0;
      found = explain(good);
      if (!found || good === 0) return undefined;
      while (good - bad > 1) {
        const mid = (bad + good) >> 1;
        const middle = explain(mid);
        if (middle) [good, found] = [mid, middle];
        else bad = mid;
      }
      from = good;
      // Drop what the rest contradicts for good, so it cannot come back into range later.
      this.#sent.splice(0, from);
    }
    // Only a refusal caps the range: readings alone are what the telescoping estimate reads well.
    const isRefused = this.#sent.some((sent) => sent.fate.kind === 'refused' && sent.fate.isExact);
    return { ...found, isCapped: isRefused && found.high < nominalPerMs, isContradicted: from > 0 };
  }

  /**
   * The refill range `observed` allows for the smallest capacity that explains them, of those the
   * bucket may have (`shown`, tried at CAPACITY_STEPS across it), each replayed exactly: a capacity
   * modelled as an interval lets the level after an admission be anything up to its spare part, and
   * so bounds nothing. The smallest that fits, because a larger one explains anything a smaller one
   * does with a slower refill: it kept the pace of a burst of exactly one request 1.13 × the bound.
   * Where the real one is larger, what it shows (an admission sooner than the smaller allows)
   * rules the smaller out.
   */
  #explain(
    observed: readonly Timed[],
    shown: Capacity,
    nominalPerMs: number,
  ): { low: number; high: number } | undefined {
    if (!observed.some((s) => s.fate.kind === 'admitted')) return undefined;
    const { least, most } = withCharges(observed, shown);
    const steps = shown.isStepped && most > least ? CAPACITY_STEPS : 0;
    for (let k = 0; k <= steps; k++) {
      const size = least + ((most - least) * k) / Math.max(1, steps);
      const capacity = steps === 0 ? { least, most } : { least: size, most: size };
      const low = this.#lowest(observed, capacity, nominalPerMs);
      const high = low === undefined ? undefined : this.#highest(observed, capacity, nominalPerMs);
      if (low !== undefined && high !== undefined && low <= high) {
        return { low, high };
      }
    }
    return undefined;
  }

  #find(seq: number): Sent | undefined {
    for (let i = this.#sent.length - 1; i >= 0; i--) if (this.#sent[i]!.seq === seq) return this.#sent[i];
    return undefined;
  }

  /** The least ρ that admits every admission, or undefined if even the nominal refill does not. */
  #lowest(observed: readonly Timed[], capacity: Capacity, nominalPerMs: number): number | undefined {
    if (violates(observed, capacity, nominalPerMs) & TOO_LOW) return undefined;
    let [low, high] = [0, nominalPerMs];
    if (!(violates(observed, capacity, 0) & TOO_LOW)) return 0;
    for (let i = 0; i < STEPS; i++) {
      const mid = (low + high) / 2;
      if (violates(observed, capacity, mid) & TOO_LOW) low = mid;
      else high = mid;
    }
    return high;
  }

  /** The greatest ρ that no refusal or reading rules out, or undefined if even no refill is ruled out. */
  #highest(observed: readonly Timed[], capacity: Capacity, nominalPerMs: number): number | undefined {
    if (!(violates(observed, capacity, nominalPerMs) & TOO_HIGH)) return nominalPerMs;
    if (violates(observed, capacity, 0) & TOO_HIGH) return undefined;
    let [low, high] = [0, nominalPerMs];
    for (let i = 0; i < STEPS; i++) {
      const mid = (low + high) / 2;
      if (violates(observed, capacity, mid) & TOO_HIGH) high = mid;
      else low = mid;
    }
    return low;
  }
}

/** `shown`, its top raised to the largest charge admitted: the bucket held that much at least. */
function withCharges(observed: readonly Timed[], shown: Capacity): Capacity {
  let most = shown.most;
  for (const { fate } of observed) if (fate.kind === 'admitted') most = Math.max(most, fate.cost);
  return { ...shown, least: Math.min(shown.least, most), most };
}

/** A refill too low to explain an admission or a reading. */
const TOO_LOW = 1;
/** A refill too high to explain a refusal or a reading. */
const TOO_HIGH = 2;

/** A kept request with how much later than its sending it may have reached the server. */
interface Timed {
  readonly atMs: number;
  readonly fate: Fate;
  readonly lateMs: number;
}

/**
 * `observed` with each request's possible lateness at the server: how much longer its answer took
 * than the quickest of its kind (admitted, refused). The path to the server and back is common to
 * all; what varies (a new connection, a busy event loop on either side) may have delayed the
 * request on its way, so two requests sent a refill apart can reach the server closer together.
 * Read at their sending times alone, one such refusal put a ceiling 11 % under the nominal refill
 * for the rest of a run. Per kind, because a refusal is answered at once while an admitted
 * request's headers may wait for the model (a real server's stream): against the quickest refusal,
 * every admission would look that much late, and no refusal would ever cap the refill.
 */
function withLateness(observed: readonly Sent[]): Timed[] {
  const quickest = { admitted: Number.POSITIVE_INFINITY, refused: Number.POSITIVE_INFINITY };
  for (const { fate, answerDelayMs } of observed)
    if (answerDelayMs !== undefined && (fate.kind === 'admitted' || fate.kind === 'refused'))
      quickest[fate.kind] = Math.min(quickest[fate.kind], answerDelayMs);
  // A request not admitted here drew nothing: when it arrived changes no level.
  return observed.map(({ atMs, fate, answerDelayMs }) => ({
    atMs,
    fate,
    lateMs:
      answerDelayMs === undefined || (fate.kind !== 'admitted' && fate.kind !== 'refused')
        ? 0
        : answerDelayMs - quickest[fate.kind],
  }));
}

/**
 * Replays `observed` on a bucket of `capacity` (its lower edge capping the least level, its upper
 * edge the most) refilling `perMs`, its level an interval (unknown at the start); returns which
 * way the refill is contradicted (TOO_LOW | TOO_HIGH, 0: it explains all). Each request reached
 * the server between its sending and its lateness later: the least level refills over the
 * shortest gap that allows, the most over the longest. Both edges are monotone in `perMs`, so each
 * kind of contradiction is too.
 */
function violates(observed: readonly Timed[], capacity: Capacity, perMs: number): number {
  let [least, most] = [0, capacity.most];
  let previous = observed[0]!;
  let found = 0;
  for (const request of observed) {
    const { atMs: sentAt, fate } = request;
    const shortestMs = Math.max(0, sentAt - previous.atMs - previous.lateMs);
    const longestMs = Math.max(0, sentAt + request.lateMs - previous.atMs);
    previous = request;
    least = Math.min(capacity.least, least + perMs * shortestMs);
    most = Math.min(capacity.most, most + perMs * longestMs);
    if (fate.kind === 'admitted') {
      if (most < fate.cost) found |= TOO_LOW;
      least = Math.max(least, fate.cost) - fate.cost;
      most -= fate.cost;
      if (fate.reading) {
        const [lowest, highest] = fate.reading;
        if (most < lowest) found |= TOO_LOW;
        if (least > highest) found |= TOO_HIGH;
        least = Math.max(least, lowest);
        most = Math.min(most, highest);
      }
    } else if (fate.kind === 'refused' && fate.isExact) {
      if (least >= fate.cost) found |= TOO_HIGH;
      most = Math.min(most, fate.cost);
    } else if (fate.kind === 'unknown') {
      least = Math.max(0, least - fate.cost);
    }
  }
  return found;
}
