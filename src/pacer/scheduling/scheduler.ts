import { AttemptDispatcher } from './attemptDispatcher';
import type { Clock } from '../clock';
import { DispatchLoop } from './dispatchLoop';
import { DispatchPlanner } from './dispatchPlanner';
import { countThenEnqueue, type ExactTokenCounter } from './exactTokenCounter';
import { InteractiveDemand } from './interactiveDemand';
import { KeyPool, type KeyGate, type KeyInfo } from '../keys/keyPool';
import { Listeners } from '../listeners';
import { LongWaitWatcher } from './longWaitWatcher';
import { OutcomeHandler } from '../retry/outcomeHandler';
import { OverloadTracker } from '../retry/overloadTracker';
import { PoolRegistry } from '../limits/poolRegistry';
import { estimateLiveQueue } from './queueEstimate';
import { parseRateLimitHeaders } from '../limits/rateLimitHeaders';
import { handleOf } from './requestHandle';
import { failureFrom, newRequestEntry, priceEntry, type RequestEntry } from './requestEntry';
import { headProgress, longWaitEventOf, longWaitMessage, requestProgress } from './requestProgress';
import { RequestQueue } from './requestQueue';
import { DEFAULT_SCHEDULER_OPTIONS, type SchedulerOptions } from './schedulerOptions';
import { buildSnapshot, nextPoolSnapshot, type SchedulerSnapshot } from './schedulerSnapshot';
import type {
  LongWaitEvent,
  RequestHandle,
  RequestResult,
  SchedulerLogEntry,
  SubmitOptions,
} from './schedulerTypes';
import { LearningEstimator } from '../limits/tokenEstimator';
import type { HeaderReader } from '../transport';
import type { SchedulerDeps } from './schedulerDeps';
import { SharedLeases, type SharedLease } from '../sharing/sharedLeases';

/**
 * The one scheduler every request goes through: priority lanes with aging, token-bucket pacing per
 * (organization, model class) synced from response headers, one retry layer, key rotation.
 *
 * Not built on p-queue: admission here depends on time-varying bucket levels per pool, on which key
 * a request goes out with, and on whether a later request can start without delaying the head
 * (backfill). p-queue only releases work in priority order when a concurrency slot frees up, so a
 * task would have to hold its slot while waiting for tokens, blocking backfill and hiding the wait
 * from the pacer. The in-flight cap is a counter, checked in the pump next to the admission decision.
 */
export class Scheduler {
  readonly #clock: Clock;
  readonly #estimator: LearningEstimator;
  #exactCounter: ExactTokenCounter | undefined;
  #options: SchedulerOptions;
  readonly #keys = new KeyPool();
  readonly #pools: PoolRegistry;
  readonly #queue: RequestQueue;
  readonly #planner: DispatchPlanner;
  readonly #dispatcher: AttemptDispatcher;
  readonly #loop: DispatchLoop;
  readonly #outcomes: OutcomeHandler;
  readonly #overloads = new OverloadTracker();
  readonly #demand = new InteractiveDemand();
  readonly #watcher: LongWaitWatcher;
  readonly #sharing: SharedLeases;
  readonly #live = new Map<string, RequestEntry>();
  readonly #listeners = {
    change: new Listeners<void>(),
    longWait: new Listeners<LongWaitEvent>(),
    log: new Listeners<SchedulerLogEntry>(),
  };
  #nextSeq = 1;
  #isDisposed = false;

  /** A scheduler with no keys yet (see setKeys). */
  constructor(deps: SchedulerDeps) {
    this.#clock = deps.clock;
    this.#estimator = deps.estimator ?? new LearningEstimator();
    this.#exactCounter = deps.exactCounter;
    this.#options = { ...DEFAULT_SCHEDULER_OPTIONS, ...deps.options };
    this.#pools = new PoolRegistry(this.#keys, this.#clock, () => this.#options);
    this.#queue = new RequestQueue(this.#clock);
    const own = { clock: this.#clock, options: () => this.#options, isDisposed: () => this.#isDisposed };
    const pump = (): void => this.#loop.pump();
    const log = (level: SchedulerLogEntry['level'], message: string | (() => string), requestId?: string) =>
      this.#log(level, message, requestId);
    const sendLeased = (entry: RequestEntry, lease: SharedLease): boolean =>
      this.#loop.sendLeased(entry, lease);
    this.#sharing = new SharedLeases(deps.sharedBudget, { ...own, pump, log, sendLeased });
    this.#planner = new DispatchPlanner({
      lanes: this.#queue.lanes,
      keys: this.#keys,
      pools: this.#pools,
      demand: this.#demand,
      options: () => this.#options,
      inFlight: () => this.#dispatcher.inFlight + this.#sharing.pendingCount,
      isHeld: (entry) => this.#sharing.isHeld(entry),
    });
    const engine = {
      ...own,
      keys: this.#keys,
      pools: this.#pools,
      planner: this.#planner,
      overloads: this.#overloads,
      sharing: this.#sharing,
      finish: (entry: RequestEntry, result: RequestResult) => this.#finish(entry, result),
      log,
      last4: (keyId: string) => this.#last4(keyId),
    };
    this.#dispatcher = new AttemptDispatcher({
      ...engine,
      transport: deps.transport,
      queue: this.#queue,
      price: (entry, model) => this.#price(entry, model),
      handleOutcome: (entry, attempt, outcome) => this.#outcomes.handle(entry, attempt, outcome),
      pump,
      changed: () => this.#changed(),
    });
    this.#loop = new DispatchLoop({
      ...engine,
      dispatcher: this.#dispatcher,
      afterPump: () => this.#watcher.schedule(),
    });
    this.#outcomes = new OutcomeHandler({
      ...engine,
      random: deps.random,
      estimator: this.#estimator,
      syncFrom: (attempt, report, isAdmitted) => this.#dispatcher.syncFrom(attempt, report, isAdmitted),
      requeue: (entry) => {
        this.#queue.requeue(entry);
        this.#changed();
      },
    });
    this.#watcher = new LongWaitWatcher(
      this.#clock,
      (now) => estimateLiveQueue(this.#live.values(), this.#planner, now),
      (entry, estimate) => {
        this.#log('info', longWaitMessage(estimate, this.#clock.now()), entry.id);
        this.#listeners.longWait.emit(longWaitEventOf(entry, estimate));
      },
    );
  }

  /** Queues a request; the handle's promise resolves exactly once and never rejects. */
  submit(options: SubmitOptions): RequestHandle {
    const now = this.#clock.now();
    const seqNo = this.#nextSeq++;
    let resolve!: (r: RequestResult) => void;
    const result = new Promise<RequestResult>((r) => (resolve = r));
    const entry = newRequestEntry(seqNo, now, options, resolve);
    this.#price(entry, options.request.model);
    if (entry.laneRank === 0) this.#demand.note(entry.modelClass, entry.cost, now);
    const handle = this.#handleFor(entry, result);
    if (options.signal?.aborted) {
      this.#finish(entry, { status: 'cancelled', partialText: '' });
      return handle;
    }
    if (options.signal) {
      const onAbort = (): void => handle.cancel();
      options.signal.addEventListener('abort', onAbort, { once: true });
      entry.detachSignal = () => options.signal?.removeEventListener('abort', onAbort);
    }
    this.#live.set(entry.id, entry);
    if (options.maxWaitMs !== undefined) this.#watcher.withDeadline.add(entry);
    if (this.#exactCounter && options.inputTokens === undefined) {
      // Counted first, then queued in its original place; the count never delays it long (see the counter).
      countThenEnqueue(this.#exactCounter, options.request, entry, () => {
        this.#queue.enqueue(entry, 'ordered');
        this.#changed();
        this.#loop.pump();
      });
      this.#changed();
      return handle;
    }
    this.#queue.enqueue(entry, 'last');
    this.#log(
      'debug',
      () => `queued ${options.label ?? 'request'} (${entry.lane}, ~${entry.cost.inputTokens} input tokens)`,
      entry.id,
    );
    this.#changed();
    this.#loop.pump();
    return handle;
  }

  /** Replaces the key list (added, removed, relabelled keys); queued and in-flight requests are safe. */
  setKeys(keys: readonly KeyInfo[]): void {
    this.#keys.setKeys(keys);
    this.#pools.invalidate();
    this.refresh();
  }

  /** Records a key's organization learned elsewhere (e.g. a count_tokens check). */
  learnKeyOrganization(keyId: string, headers: HeaderReader): void {
    const now = this.#clock.now();
    const report = parseRateLimitHeaders(headers, now);
    if (!report.organizationId) return;
    this.#dispatcher.learnOrganization(keyId, report.organizationId, now);
    this.refresh();
  }

  /** Installs a rule that may hold keys back (daily budgets); re-evaluated on every decision. */
  setKeyGate(gate: KeyGate | undefined): void {
    this.#keys.setGate(gate);
    this.refresh();
  }

  /** Re-runs scheduling after something outside changed (e.g. a budget reset at midnight). */
  refresh(): void {
    this.#changed();
    this.#loop.pump();
  }

  /** Puts a rejected key back into rotation (after a successful test). */
  releaseKey(keyId: string): void {
    this.#keys.release(keyId);
    this.refresh();
  }

  /** Turns exact token counting (count_tokens before each request) on or off. */
  setExactCounter(counter: ExactTokenCounter | undefined): void {
    this.#exactCounter = counter;
  }

  /** Applies new options live; pools keep what headers taught them. */
  configure(options: Partial<SchedulerOptions>): void {
    this.#options = { ...this.#options, ...options };
    this.#pools.configure(this.#clock.now());
    for (const entry of this.#live.values())
      if (entry.state === 'queued') this.#price(entry, entry.request.model);
    this.refresh();
  }

  /** Ends cool-downs and retry waits now (the user's "Retry now"); buckets still pace. */
  retryNow(): void {
    for (const pool of this.#pools.all()) pool.throttle.clearCooling();
    this.#keys.clearOrganizationBlocks();
    for (const entry of this.#live.values()) entry.notBeforeMs = 0;
    this.refresh();
  }

  /** Cancels every queued (not in-flight) request, optionally of one lane; returns how many. */
  cancelQueued(lane?: SubmitOptions['lane']): number {
    const doomed = [...this.#live.values()].filter(
      (e) => e.state === 'queued' && (lane === undefined || e.lane === lane),
    );
    for (const entry of doomed) this.#finish(entry, { status: 'cancelled', partialText: '' });
    this.#loop.pump();
    return doomed.length;
  }

  /** Everything the UI shows: pools, keys, lanes, the queue's head; with `model`, where its next request would go. */
  snapshot(model?: string): SchedulerSnapshot {
    const now = this.#clock.now();
    const queued = [...this.#live.values()].filter((e) => e.state === 'queued');
    return buildSnapshot({
      nowMs: now,
      pools: this.#pools.all(),
      keys: this.#keys,
      lanes: this.#queue.lanes,
      inFlight: this.#dispatcher.inFlight,
      queued,
      ...(this.#loop.nextWakeAtMs !== undefined ? { nextWakeAtMs: this.#loop.nextWakeAtMs } : {}),
      head: headProgress(queued, () => this.#watcher.current(), this.#clock),
      next: model === undefined ? undefined : nextPoolSnapshot(this.#planner, model, now),
      reserveOf: (e) => this.#planner.reserveFor(e, now),
      poolOf: (e) => this.#planner.plan(e, now)?.pool,
    });
  }

  /** Subscribes to any state change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.#listeners.change.add(listener);
  }

  /** Subscribes to long-wait events. */
  onLongWait(listener: (event: LongWaitEvent) => void): () => void {
    return this.#listeners.longWait.add(listener);
  }

  /** Subscribes to log lines (no keys, no prompts). */
  onLog(listener: (entry: SchedulerLogEntry) => void): () => void {
    return this.#listeners.log.add(listener);
  }

  /** Fails everything still pending with "shutdown" and stops all timers. */
  dispose(): void {
    if (this.#isDisposed) return;
    for (const entry of [...this.#live.values()]) {
      this.#finish(entry, {
        status: 'failed',
        reason: failureFrom('shutdown', 'Claude Pacer stopped before the request finished.'),
        partialText: entry.partialText,
        attempts: entry.attempts,
      });
    }
    this.#isDisposed = true;
    this.#loop.dispose();
    this.#watcher.dispose();
    for (const listeners of Object.values(this.#listeners)) listeners.clear();
  }

  #handleFor(entry: RequestEntry, result: Promise<RequestResult>): RequestHandle {
    return handleOf(entry, result, {
      cancel: () => {
        entry.attemptController?.abort();
        this.#finish(entry, { status: 'cancelled', partialText: entry.partialText });
        this.#loop.pump();
      },
      progress: () => requestProgress(entry, () => this.#watcher.current(), this.#clock),
      keepWaiting: (maxWaitMs) => {
        entry.longWaitDeadlineMs = this.#clock.now() + maxWaitMs;
        this.#watcher.schedule();
      },
      switchModel: (model) => {
        this.#price(entry, model);
        entry.usedFallback = entry.usedFallback || model === this.#options.fallbackModel;
        this.refresh();
      },
    });
  }

  /** Sets model, class and cost (exact count if known, else the corrected estimate). */
  #price(entry: RequestEntry, model: string): void {
    priceEntry(entry, model, this.#estimator, this.#options.otpmRegime);
  }

  #finish(entry: RequestEntry, result: RequestResult): void {
    if (entry.state === 'done') return;
    if (entry.state === 'queued') this.#queue.dequeue(entry);
    entry.state = 'done';
    this.#sharing.forget(entry);
    this.#live.delete(entry.id);
    this.#watcher.withDeadline.delete(entry);
    entry.detachSignal?.();
    if (result.status === 'failed') this.#log('warn', `failed: ${result.reason.message}`, entry.id);
    entry.resolve(result);
    this.#changed();
  }

  #last4(keyId: string): string {
    return this.#keys.describe(this.#clock.now()).find((k) => k.info.id === keyId)?.info.last4 ?? '????';
  }

  #changed(): void {
    this.#watcher.invalidate();
    this.#planner.invalidateKeys();
    this.#listeners.change.emit();
  }

  #log(level: SchedulerLogEntry['level'], message: string | (() => string), requestId?: string): void {
    if (this.#listeners.log.size === 0) return;
    const text = typeof message === 'string' ? message : message();
    this.#listeners.log.emit({ level, message: text, ...(requestId !== undefined ? { requestId } : {}) });
  }
}
