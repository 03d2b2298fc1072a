/**
 * The building blocks of the rate-limit guide's recipe, ported as written: a token bucket, a
 * binary-heap priority queue and a key manager that parks a key after a 429.
 */

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A token bucket that starts full and refills continuously; `consume` takes tokens if they are there. */
export class GuideTokenBucket {
  readonly #capacity: number;
  readonly #refillPerSec: number;
  #tokens: number;
  #atMs = Date.now();

  constructor(capacity: number, refillPerSec: number) {
    this.#capacity = capacity;
    this.#refillPerSec = refillPerSec;
    this.#tokens = capacity;
  }

  /** Takes `n` tokens and returns true, or returns false and takes nothing. */
  consume(n: number): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#atMs) / 1000) * this.#refillPerSec);
    this.#atMs = now;
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }
}

/** A min-heap on (priority, insertion order): lower priority numbers come out first. */
export class PriorityHeap<T> {
  readonly #items: { priority: number; seq: number; value: T }[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  push(priority: number, value: T): void {
    const items = this.#items;
    items.push({ priority, seq: this.#seq++, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.#less(l, m)) m = l;
        if (r < items.length && this.#less(r, m)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top?.value;
  }

  #less(a: number, b: number): boolean {
    const x = this.#items[a]!;
    const y = this.#items[b]!;
    return x.priority < y.priority || (x.priority === y.priority && x.seq < y.seq);
  }
}

/** Picks the least-used key that is not parked; a key is parked for a fixed time after a 429. */
export class KeyManager {
  readonly #uses = new Map<string, number>();
  readonly #parkedUntil = new Map<string, number>();
  readonly #parkMs: number;

  constructor(keys: readonly string[], parkMs: number) {
    for (const k of keys) this.#uses.set(k, 0);
    this.#parkMs = parkMs;
  }

  /** The least-used available key (counted as used), waiting while every key is parked. */
  async acquire(signal: AbortSignal): Promise<string | undefined> {
    while (!signal.aborted) {
      const now = Date.now();
      let best: string | undefined;
      for (const [key, uses] of this.#uses) {
        if ((this.#parkedUntil.get(key) ?? 0) > now) continue;
        if (best === undefined || uses < this.#uses.get(best)!) best = key;
      }
      if (best !== undefined) {
        this.#uses.set(best, this.#uses.get(best)! + 1);
        return best;
      }
      await sleep(Math.max(1, Math.min(...this.#parkedUntil.values()) - now), signal);
    }
    return undefined;
  }

  /** Parks `key` for the fixed time. */
  park(key: string): void {
    this.#parkedUntil.set(key, Date.now() + this.#parkMs);
  }
}
