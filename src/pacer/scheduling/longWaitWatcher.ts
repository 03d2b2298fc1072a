import type { Clock, TimerHandle } from '../clock';
import type { QueueEstimate } from './queueEstimate';
import type { RequestEntry } from './requestEntry';

/** Queue estimates (positions, long waits) are recomputed at most this often, after a change. */
const ESTIMATE_INTERVAL_MS = 1000;

/**
 * Keeps queue estimates fresh enough for progress displays and raises "long wait" for requests
 * whose estimated start passes their deadline. Estimating is O(queue), so it runs at most once a
 * second and only after a change, never on a polling loop.
 */
export class LongWaitWatcher {
  /** Live requests with a maximum wait: the only ones it must look at. */
  readonly withDeadline = new Set<RequestEntry>();
  readonly #clock: Clock;
  readonly #estimateAll: (nowMs: number) => Map<string, QueueEstimate>;
  readonly #onLongWait: (entry: RequestEntry, estimate: QueueEstimate) => void;
  #timer?: TimerHandle;
  #estimates?: { atMs: number; byId: Map<string, QueueEstimate> };

  /** `estimateAll` computes every queued request's estimate; `onLongWait` reports one that waits too long. */
  constructor(
    clock: Clock,
    estimateAll: (nowMs: number) => Map<string, QueueEstimate>,
    onLongWait: (entry: RequestEntry, estimate: QueueEstimate) => void,
  ) {
    this.#clock = clock;
    this.#estimateAll = estimateAll;
    this.#onLongWait = onLongWait;
  }

  /** Something changed: estimates must be recomputed before use. */
  invalidate(): void {
    this.#estimates = undefined;
  }

  /** Estimates at most a second old. */
  current(): Map<string, QueueEstimate> {
    const now = this.#clock.now();
    if (!this.#estimates || now - this.#estimates.atMs >= ESTIMATE_INTERVAL_MS)
      this.#estimates = { atMs: now, byId: this.#estimateAll(now) };
    return this.#estimates.byId;
  }

  /** After a change: checks deadlines soon (at most once per interval) if any request has one. */
  schedule(): void {
    if (this.#timer) return;
    let hasDeadline = false;
    for (const e of this.withDeadline)
      if (e.state === 'queued' && Number.isFinite(e.longWaitDeadlineMs)) hasDeadline = true;
    if (!hasDeadline) return;
    const now = this.#clock.now();
    const dueIn = this.#estimates ? Math.max(0, this.#estimates.atMs + ESTIMATE_INTERVAL_MS - now) : 0;
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      this.#check();
    }, dueIn);
  }

  /** Stops the pending check. */
  dispose(): void {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.withDeadline.clear();
  }

  #check(): void {
    const now = this.#clock.now();
    const byId = this.#estimateAll(now);
    this.#estimates = { atMs: now, byId };
    // A listener may cancel or switch a request at once (which invalidates the cache and edits the
    // set): iterate over a copy with the estimates taken here.
    for (const entry of [...this.withDeadline]) {
      const estimate = byId.get(entry.id);
      if (entry.state !== 'queued' || !estimate || estimate.startMs <= entry.longWaitDeadlineMs) continue;
      entry.longWaitDeadlineMs = Number.POSITIVE_INFINITY;
      this.#onLongWait(entry, estimate);
    }
  }
}
