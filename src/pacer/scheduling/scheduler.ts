import type { Clock, RandomSource, TimerHandle } from '../clock';
import { requestCost } from '../limits/cost';
import { DispatchPlanner, type Plan } from './dispatchPlanner';
import type { ExactTokenCounter } from './exactTokenCounter';
import { FifoLane } from './fifoLane';
import { InteractiveDemand } from './interactiveDemand';
import { KeyPool, type KeyGate, type KeyInfo } from '../keys/keyPool';
import { Listeners } from '../listeners';
import { LongWaitWatcher } from './longWaitWatcher';
import { noPlanReason } from './noPlanReason';
import { OutcomeHandler } from '../retry/outcomeHandler';
import { OverloadTracker } from '../retry/overloadTracker';
import { PoolRegistry } from '../limits/poolRegistry';
import { estimateQueue, type QueueEstimate } from './queueEstimate';
import { parseRateLimitHeaders, type RateLimitReport } from '../limits/rateLimitHeaders';
import { sendAttempt } from './attemptSender';
import { handleOf } from './requestHandle';
import {
  failureFrom,
  newRequestEntry,
  priceEntry,
  type InFlightAttempt,
  type RequestEntry,
} from './requestEntry';
import { DEFAULT_SCHEDULER_OPTIONS, type SchedulerOptions } from './schedulerOptions';
import { buildSnapshot, type SchedulerSnapshot } from './schedulerSnapshot';
import {
  LANES,
  type LongWaitEvent,
  type RequestHandle,
  type RequestProgress,
  type RequestResult,
  type SchedulerLogEntry,
  type SubmitOptions,
} from './schedulerTypes';
import { LearningEstimator } from '../limits/tokenEstimator';
import type { AttemptOutcome, HeaderReader, Transport } from '../transport';

/** What the scheduler needs from outside: time, randomness, a way to send. */
export interface SchedulerDeps {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly transport: Transport;
  readonly estimator?: LearningEstimator;
  readonly options?: Partial<SchedulerOptions>;
  /** When set, a request without a given count waits (out of the queue) for an exact count first. */
  readonly exactCounter?: ExactTokenCounter;
}

/**
 * The one scheduler every request goes through: priority lanes with aging, token-bucket pacing per
 * (organization, model class) synced from response headers, one retry layer, key rotation.
 *
 * Not built on p-queue: admission here depends on time-varying bucket levels per pool, on which key
 * a request goes out with, and on whether a later request can start without delaying the head
 * (backfill). p-queue only releases work in priority order when a concurrency slot frees up, so a
 * task would have to hold its slot while waiting for tokens, blocking backfill and hiding the wait
 * from the pacer. The in-flight cap is a counter here, next to the admission decision it belongs to.
 */
export class Scheduler {
  readonly #clock: Clock;
  readonly #transport: Transport;
  readonly #estimator: LearningEstimator;
  #exactCounter: ExactTokenCounter | undefined;
  #options: SchedulerOptions;
  readonly #keys = new KeyPool();
  readonly #pools: PoolRegistry;
  readonly #lanes = LANES.map(() => new FifoLane<RequestEntry>());
  readonly #planner: DispatchPlanner;
  readonly #outcomes: OutcomeHandler;
  readonly #overloads = new OverloadTracker();
  readonly #demand = new InteractiveDemand();
  readonly #watcher: LongWaitWatcher;
  readonly #live = new Map<string, RequestEntry>();
  readonly #attempts = new Set<InFlightAttempt>();
  readonly #listeners = {
    change: new Listeners<void>(),
    longWait: new Listeners<LongWaitEvent>(),
    log: new Listeners<SchedulerLogEntry>(),
  };
  #inFlight = 0;
  #nextSeq = 1;
  #timer?: TimerHandle;
  /** When the pending wake-up fires: the earliest moment queued work can start. */
  #timerDueMs?: number;
  #isPumping = false;
  #pumpAgain = false;
  #isDisposed = false;

  /** A scheduler with no keys yet (see setKeys). */
  constructor(deps: SchedulerDeps) {
    this.#clock = deps.clock;
    this.#transport = deps.transport;
    this.#estimator = deps.estimator ?? new LearningEstimator();
    this.#exactCounter = deps.exactCounter;
    this.#options = { ...DEFAULT_SCHEDULER_OPTIONS, ...deps.options };
    this.#pools = new PoolRegistry(this.#keys, this.#clock, () => this.#options);
    this.#planner = new DispatchPlanner({
      lanes: this.#lanes,
      keys: this.#keys,
      pools: this.#pools,
      demand: this.#demand,
      options: () => this.#options,
      inFlight: () => this.#inFlight,
    });
    this.#outcomes = new OutcomeHandler({
      clock: this.#clock,
      random: deps.random,
      keys: this.#keys,
      pools: this.#pools,
      estimator: this.#estimator,
      overloads: this.#overloads,
      options: () => this.#options,
      syncFrom: (attempt, report, isAdmitted) => this.#syncFrom(attempt, report, isAdmitted),
      finish: (entry, result) => this.#finish(entry, result),
      requeue: (entry) => {
        entry.state = 'queued';
        this.#enqueue(entry, 'ordered');
        this.#changed();
      },
      log: (level, message, requestId) => this.#log(level, message, requestId),
      last4: (keyId) => this.#last4(keyId),
    });
    this.#watcher = new LongWaitWatcher(
      this.#clock,
      (now) => this.#estimateAll(now),
      (entry, estimate) => this.#raiseLongWait(entry, estimate),
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
      // A failed count must not strand the request outside the queue: it falls back to the estimate.
      const counted = this.#exactCounter.count(options.request).catch(() => undefined);
      void counted.then((tokens) => {
        if (entry.state !== 'queued') return;
        if (tokens !== undefined) {
          entry.cost = requestCost(tokens, entry.cost.outputTokens);
          entry.exactInputTokens = tokens;
        }
        this.#enqueue(entry, 'ordered');
        this.#changed();
        this.#pump();
      });
      this.#changed();
      return handle;
    }
    this.#enqueue(entry, 'last');
    this.#log(
      'debug',
      () => `queued ${options.label ?? 'request'} (${entry.lane}, ~${entry.cost.inputTokens} input tokens)`,
      entry.id,
    );
    this.#changed();
    this.#pump();
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
    this.#learnOrganization(keyId, report.organizationId, now);
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
    this.#pump();
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
    for (const pool of this.#pools.all()) pool.clearCooling();
    this.#keys.clearOrganizationBlocks();
    for (const entry of this.#live.values()) entry.notBeforeMs = 0;
    this.refresh();
  }

  /** Cancels every queued (not in-flight) request, optionally of one lane; returns how many. */
  cancelQueued(lane?: SubmitOptions['lane']): number {
    let count = 0;
    for (const entry of [...this.#live.values()]) {
      if (entry.state === 'queued' && (lane === undefined || entry.lane === lane)) {
        this.#finish(entry, { status: 'cancelled', partialText: '' });
        count++;
      }
    }
    this.#pump();
    return count;
  }

  /** Everything the UI shows: pools, keys, lanes, next retry. */
  snapshot(): SchedulerSnapshot {
    const now = this.#clock.now();
    return buildSnapshot({
      nowMs: now,
      pools: this.#pools.all(),
      keys: this.#keys,
      lanes: this.#lanes,
      inFlight: this.#inFlight,
      queued: [...this.#live.values()].filter((e) => e.state === 'queued'),
      ...(this.#timerDueMs !== undefined ? { nextWakeAtMs: this.#timerDueMs } : {}),
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
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#watcher.dispose();
    for (const listeners of Object.values(this.#listeners)) listeners.clear();
  }

  #handleFor(entry: RequestEntry, result: Promise<RequestResult>): RequestHandle {
    return handleOf(entry, result, {
      cancel: () => {
        entry.attemptController?.abort();
        this.#finish(entry, { status: 'cancelled', partialText: entry.partialText });
        this.#pump();
      },
      progress: () => this.#progress(entry),
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

  #pump(): void {
    if (this.#isDisposed) return;
    if (this.#isPumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#isPumping = true;
    try {
      do {
        this.#pumpAgain = false;
        this.#pumpOnce();
      } while (this.#pumpAgain);
    } finally {
      this.#isPumping = false;
    }
    this.#watcher.schedule();
  }

  /** Starts everything that can start now, then sleeps until the earliest moment something can change. */
  #pumpOnce(): void {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const now = this.#clock.now();
    this.#planner.invalidateKeys();
    let wakeAtMs = Number.POSITIVE_INFINITY;
    while (this.#inFlight < this.#options.maxInFlight) {
      const head = this.#planner.head(now);
      if (!head) break;
      const plan = this.#planOrFail(head, now);
      if (!plan) continue;
      if (plan.waitMs <= 0) {
        this.#dispatch(head, plan, now);
        continue;
      }
      wakeAtMs = Math.min(wakeAtMs, now + plan.waitMs);
      const filler = this.#planner.backfill(head, plan, now);
      for (const doomed of filler.doomed) this.#planOrFail(doomed, now);
      if (filler.entry && filler.plan) {
        this.#dispatch(filler.entry, filler.plan, now);
        continue;
      }
      wakeAtMs = Math.min(wakeAtMs, filler.wakeAtMs, this.#planner.nextAgingMs(now));
      break;
    }
    this.#timerDueMs = undefined;
    if (Number.isFinite(wakeAtMs)) {
      this.#timerDueMs = wakeAtMs;
      this.#timer = this.#clock.setTimer(
        () => {
          this.#timer = undefined;
          this.#timerDueMs = undefined;
          this.#pump();
        },
        Math.max(0, wakeAtMs - now),
      );
    }
  }

  /** Like the planner's plan, but a request that can go nowhere is failed here with the reason. */
  #planOrFail(entry: RequestEntry, now: number): Plan | undefined {
    const plan = this.#planner.plan(entry, now);
    if (!plan) {
      const isOutputReserved = this.#options.otpmRegime === 'legacy';
      this.#finish(entry, {
        status: 'failed',
        reason: noPlanReason(entry, this.#keys, this.#pools, isOutputReserved, now),
        partialText: entry.partialText,
        attempts: entry.attempts,
      });
    }
    return plan;
  }

  #dispatch(entry: RequestEntry, plan: Plan, now: number): void {
    this.#dequeue(entry);
    this.#applyFallbackRoute(entry, now);
    entry.state = 'in_flight';
    entry.attempts++;
    entry.partialText = '';
    this.#inFlight++;
    const pool = this.#pools.poolFor(plan.keyId, entry.modelClass);
    const attempt: InFlightAttempt = {
      keyId: plan.keyId,
      pool,
      reservation: pool.reserve(entry.cost, now),
      isSynced: false,
      modelClass: entry.modelClass,
    };
    entry.inFlight = attempt;
    this.#attempts.add(attempt);
    this.#keys.markUsed(plan.keyId, now);
    this.#planner.invalidateKeys();
    const controller = new AbortController();
    entry.attemptController = controller;
    this.#log(
      'info',
      () => `sending ${entry.options.label ?? 'request'} (attempt ${entry.attempts}, ${entry.request.model})`,
      entry.id,
    );
    void sendAttempt(this.#transport, entry, attempt, plan.keyId, controller, {
      onTextError: (error) => this.#log('warn', `text listener threw: ${String(error)}`, entry.id),
      onHeaders: (headers) => {
        this.#syncFrom(attempt, parseRateLimitHeaders(headers, this.#clock.now()), true);
        // The first headers of a pool end its probe, and any sync may let queued work start.
        this.#pump();
      },
    }).then((outcome) => this.#onOutcome(entry, attempt, outcome));
    this.#changed();
  }

  #onOutcome(entry: RequestEntry, attempt: InFlightAttempt, outcome: AttemptOutcome): void {
    if (this.#isDisposed) return;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (entry.inFlight === attempt) delete entry.inFlight;
    // Still listed while handled: its headers may merge its pool into its organization's, and the
    // merge repoints listed attempts, so the answer settles where the reservation now lives.
    this.#outcomes.handle(entry, attempt, outcome);
    this.#attempts.delete(attempt);
    this.#pump();
  }

  #syncFrom(attempt: InFlightAttempt, report: RateLimitReport, isAdmitted: boolean): void {
    const now = this.#clock.now();
    if (report.organizationId) this.#learnOrganization(attempt.keyId, report.organizationId, now);
    this.#pools.poolFor(attempt.keyId, attempt.modelClass).sync(report, attempt.reservation, now, isAdmitted);
  }

  #learnOrganization(keyId: string, organizationId: string, now: number): void {
    const changed = this.#pools.learnOrganization(keyId, organizationId, now, (from, to) => {
      for (const attempt of this.#attempts) if (attempt.pool === from) attempt.pool = to;
    });
    if (changed) this.#log('info', `key …${this.#last4(keyId)} belongs to organization ${organizationId}`);
  }

  /** Routes to the fallback model while the primary keeps answering "overloaded". */
  #applyFallbackRoute(entry: RequestEntry, now: number): void {
    const fallback = this.#options.fallbackModel;
    if (!fallback || entry.request.model === fallback) return;
    const streak = this.#overloads.streakAtLeast(
      entry.request.model,
      this.#options.fallbackAfterOverloads,
      now,
    );
    if (streak === undefined) return;
    this.#log(
      'warn',
      `${entry.request.model} overloaded ${streak} times in a row: using ${fallback}`,
      entry.id,
    );
    this.#price(entry, fallback);
    entry.usedFallback = true;
  }

  #finish(entry: RequestEntry, result: RequestResult): void {
    if (entry.state === 'done') return;
    if (entry.state === 'queued') this.#dequeue(entry);
    entry.state = 'done';
    this.#live.delete(entry.id);
    this.#watcher.withDeadline.delete(entry);
    entry.detachSignal?.();
    if (result.status === 'failed') this.#log('warn', `failed: ${result.reason.message}`, entry.id);
    entry.resolve(result);
    this.#changed();
  }

  #progress(entry: RequestEntry): RequestProgress {
    const base = { attempts: entry.attempts, model: entry.request.model };
    if (entry.state !== 'queued') return { state: entry.state, ...base };
    const estimate = this.#watcher.current().get(entry.id);
    const now = this.#clock.now();
    return {
      state: 'queued',
      ...base,
      ...(estimate
        ? { position: estimate.position, estimatedStartMs: estimate.startMs, waitingFor: estimate.waitingFor }
        : {}),
      ...(entry.notBeforeMs > now ? { retryAtMs: entry.notBeforeMs } : {}),
    };
  }

  #estimateAll(now: number): Map<string, QueueEstimate> {
    const queued = [...this.#live.values()].filter((e) => e.state === 'queued');
    queued.sort((a, b) => this.#planner.rank(a, now) - this.#planner.rank(b, now) || a.seqNo - b.seqNo);
    return estimateQueue(queued, now, (e) => {
      const plan = this.#planner.plan(e, now);
      return plan ? { pool: plan.pool, ownWaitMs: plan.waitMs, reserve: plan.reserve } : undefined;
    });
  }

  #raiseLongWait(entry: RequestEntry, estimate: QueueEstimate): void {
    const event: LongWaitEvent = {
      requestId: entry.id,
      estimatedStartMs: estimate.startMs,
      waitingFor: estimate.waitingFor,
      ...(entry.options.label !== undefined ? { label: entry.options.label } : {}),
    };
    const inSeconds = Math.ceil((estimate.startMs - this.#clock.now()) / 1000);
    this.#log('info', `long wait: estimated start in ${inSeconds} s (${estimate.waitingFor})`, entry.id);
    this.#listeners.longWait.emit(event);
  }

  #last4(keyId: string): string {
    return this.#keys.describe(this.#clock.now()).find((k) => k.info.id === keyId)?.info.last4 ?? '????';
  }

  /** Puts a request in its lane; a lane head starts aging the moment it becomes head. */
  #enqueue(entry: RequestEntry, where: 'last' | 'ordered'): void {
    const lane = this.#lanes[entry.laneRank]!;
    if (where === 'last') lane.push(entry);
    else lane.insertOrdered(entry);
    lane.at(0)!.headSinceMs ??= this.#clock.now();
  }

  #dequeue(entry: RequestEntry): void {
    const lane = this.#lanes[entry.laneRank]!;
    lane.remove(entry);
    const next = lane.at(0);
    if (next) next.headSinceMs ??= this.#clock.now();
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
