import { fullJitterDelayMs } from './backoff';
import type { ExactTokenCounter } from './exactTokenCounter';
import type { Clock, RandomSource, TimerHandle } from './clock';
import type { Cost } from './cost';
import { decideFailure, type FailureAction } from './failurePolicy';
import { FifoLane } from './fifoLane';
import { KeyPool, type KeyGate, type KeyInfo } from './keyPool';
import { cacheReadsCountFor, modelClassOf } from './modelClass';
import { parseRateLimitHeaders, type RateLimitReport } from './rateLimitHeaders';
import { DIMENSION_WORDS, RatePool } from './ratePool';
import { failureFrom, type InFlightAttempt, type RequestEntry } from './requestEntry';
import { estimateQueue, type QueueEstimate } from './queueEstimate';
import { DEFAULT_SCHEDULER_OPTIONS, type SchedulerOptions } from './schedulerOptions';
import { buildSnapshot, type SchedulerSnapshot } from './schedulerSnapshot';
import {
  LANES,
  type FailureReason,
  type LongWaitEvent,
  type RequestHandle,
  type RequestProgress,
  type RequestResult,
  type SchedulerLogEntry,
  type SubmitOptions,
} from './schedulerTypes';
import { LearningEstimator } from './tokenEstimator';
import type { AttemptOutcome, HeaderReader, Transport, Usage } from './transport';

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

/** Candidates looked at behind a waiting head when backfilling, so a decision stays O(1) in queue length. */
const BACKFILL_SCAN = 32;
/** Queue estimates (positions, long waits) are recomputed at most this often, after a change. */
const ESTIMATE_INTERVAL_MS = 1000;
/** After this long without overloads the primary model is tried again. */
const FALLBACK_RESET_MS = 120_000;

interface Plan {
  readonly keyId: string;
  readonly pool: RatePool;
  readonly waitMs: number;
  readonly reserveShare: number;
}

type Listener<T> = (value: T) => void;

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
  readonly #random: RandomSource;
  readonly #transport: Transport;
  readonly #estimator: LearningEstimator;
  #exactCounter: ExactTokenCounter | undefined;
  #options: SchedulerOptions;
  readonly #keys = new KeyPool();
  readonly #pools = new Map<string, RatePool>();
  /** keyId → model class → pool: the hot-path lookup, rebuilt when organizations are learned. */
  #poolsByKey = new Map<string, Map<string, RatePool>>();
  readonly #lanes = LANES.map(() => new FifoLane<RequestEntry>());
  readonly #live = new Map<string, RequestEntry>();
  readonly #attempts = new Set<InFlightAttempt>();
  /** Live requests with a maximum wait: the only ones long-wait estimation must look at. */
  readonly #withDeadline = new Set<RequestEntry>();
  /** Usable keys, least recently used first; recomputed once per scheduling pass. */
  #usableKeys?: KeyInfo[];
  readonly #overloads = new Map<string, { count: number; lastAtMs: number }>();
  readonly #listeners = {
    change: new Set<Listener<void>>(),
    longWait: new Set<Listener<LongWaitEvent>>(),
    log: new Set<Listener<SchedulerLogEntry>>(),
  };
  #inFlight = 0;
  #nextSeq = 1;
  #timer?: TimerHandle;
  /** When the pending wake-up fires: the earliest moment queued work can start. */
  #timerDueMs?: number;
  #estimateTimer?: TimerHandle;
  #estimates?: { atMs: number; byId: Map<string, QueueEstimate> };
  #isPumping = false;
  #pumpAgain = false;
  #isDisposed = false;

  /** A scheduler with no keys yet (see setKeys). */
  constructor(deps: SchedulerDeps) {
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#transport = deps.transport;
    this.#estimator = deps.estimator ?? new LearningEstimator();
    this.#exactCounter = deps.exactCounter;
    this.#options = { ...DEFAULT_SCHEDULER_OPTIONS, ...deps.options };
  }

  /** Queues a request; the handle's promise resolves exactly once and never rejects. */
  submit(options: SubmitOptions): RequestHandle {
    const now = this.#clock.now();
    const seqNo = this.#nextSeq++;
    let resolve!: (r: RequestResult) => void;
    const result = new Promise<RequestResult>((r) => (resolve = r));
    const laneRank = Math.max(0, LANES.indexOf(options.lane));
    const entry: RequestEntry = {
      id: `r${seqNo}`,
      seqNo,
      lane: LANES[laneRank]!,
      laneRank,
      submittedAtMs: now,
      options,
      request: options.request,
      modelClass: '',
      rawInputEstimate: 0,
      cost: { requests: 1, inputTokens: 0, outputTokens: 0 },
      state: 'queued',
      notBeforeMs: 0,
      attempts: 0,
      rateLimitedCount: 0,
      usedFallback: false,
      partialText: '',
      longWaitDeadlineMs:
        options.maxWaitMs !== undefined ? now + Math.max(0, options.maxWaitMs) : Number.POSITIVE_INFINITY,
      resolve,
    };
    this.#price(entry, options.request.model);
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
    if (options.maxWaitMs !== undefined) this.#withDeadline.add(entry);
    if (this.#exactCounter && options.inputTokens === undefined) {
      // Counted first, then queued in its original place; the count never delays it long (see the counter).
      void this.#exactCounter.count(options.request).then((tokens) => {
        if (entry.state !== 'queued') return;
        if (tokens !== undefined) {
          entry.cost = { ...entry.cost, inputTokens: tokens };
          entry.exactInputTokens = tokens;
        }
        this.#lanes[laneRank]!.insertOrdered(entry);
        this.#changed();
        this.#pump();
      });
      this.#changed();
      return handle;
    }
    this.#lanes[laneRank]!.push(entry);
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
    this.#poolsByKey = new Map();
    this.#changed();
    this.#pump();
  }

  /** Records a key's organization learned elsewhere (e.g. a count_tokens check). */
  learnKeyOrganization(keyId: string, headers: HeaderReader): void {
    const now = this.#clock.now();
    const report = parseRateLimitHeaders(headers, now);
    if (!report.organizationId) return;
    this.#learnOrganization(keyId, report.organizationId, now);
    this.#changed();
    this.#pump();
  }

  /** Installs a rule that may hold keys back (daily budgets); re-evaluated on every decision. */
  setKeyGate(gate: KeyGate | undefined): void {
    this.#keys.setGate(gate);
    this.#changed();
    this.#pump();
  }

  /** Re-runs scheduling after something outside changed (e.g. a budget reset at midnight). */
  refresh(): void {
    this.#changed();
    this.#pump();
  }

  /** Puts a rejected key back into rotation (after a successful test). */
  releaseKey(keyId: string): void {
    this.#keys.release(keyId);
    this.#changed();
    this.#pump();
  }

  /** Turns exact token counting (count_tokens before each request) on or off. */
  setExactCounter(counter: ExactTokenCounter | undefined): void {
    this.#exactCounter = counter;
  }

  /** Applies new options live; pools keep what headers taught them. */
  configure(options: Partial<SchedulerOptions>): void {
    this.#options = { ...this.#options, ...options };
    const now = this.#clock.now();
    for (const pool of this.#pools.values())
      pool.configure(this.#limitsFor(pool.modelClass), this.#options.headroomShare, now);
    for (const entry of this.#live.values())
      if (entry.state === 'queued') this.#price(entry, entry.request.model);
    this.#changed();
    this.#pump();
  }

  /** Ends cool-downs and retry waits now (the user's "Retry now"); buckets still pace. */
  retryNow(): void {
    for (const pool of this.#pools.values()) pool.clearCooling();
    this.#keys.clearOrganizationBlocks();
    for (const entry of this.#live.values()) entry.notBeforeMs = 0;
    this.#changed();
    this.#pump();
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
      pools: [...this.#pools.values()],
      keys: this.#keys,
      lanes: this.#lanes,
      inFlight: this.#inFlight,
      queued: [...this.#live.values()].filter((e) => e.state === 'queued'),
      ...(this.#timerDueMs !== undefined ? { nextWakeAtMs: this.#timerDueMs } : {}),
      reserveShareOf: (e) => this.#reserveShare(e, now),
      poolOf: (e) => this.#plan(e, now)?.pool,
    });
  }

  /** Subscribes to any state change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.#subscribe(this.#listeners.change, listener);
  }

  /** Subscribes to long-wait events. */
  onLongWait(listener: (event: LongWaitEvent) => void): () => void {
    return this.#subscribe(this.#listeners.longWait, listener);
  }

  /** Subscribes to log lines (no keys, no prompts). */
  onLog(listener: (entry: SchedulerLogEntry) => void): () => void {
    return this.#subscribe(this.#listeners.log, listener);
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
    if (this.#estimateTimer) this.#clock.clearTimer(this.#estimateTimer);
    for (const set of Object.values(this.#listeners)) set.clear();
  }

  #handleFor(entry: RequestEntry, result: Promise<RequestResult>): RequestHandle {
    return {
      id: entry.id,
      result,
      cancel: () => {
        if (entry.state === 'done') return;
        entry.attemptController?.abort();
        this.#finish(entry, { status: 'cancelled', partialText: entry.partialText });
        this.#pump();
      },
      progress: () => this.#progress(entry),
      keepWaiting: () => {
        if (entry.state === 'done' || entry.options.maxWaitMs === undefined) return;
        entry.longWaitDeadlineMs = this.#clock.now() + entry.options.maxWaitMs;
        this.#scheduleEstimates();
      },
      switchModel: (model: string) => {
        if (entry.state !== 'queued') return;
        this.#price(entry, model);
        entry.usedFallback = entry.usedFallback || model === this.#options.fallbackModel;
        this.#changed();
        this.#pump();
      },
    };
  }

  /** Sets model, class and cost; fails the request at once when it can never fit. */
  #price(entry: RequestEntry, model: string): void {
    entry.request = model === entry.request.model ? entry.request : { ...entry.request, model };
    entry.modelClass = modelClassOf(model);
    entry.rawInputEstimate = this.#estimator.rawInput(entry.request);
    const exact = entry.options.inputTokens ?? entry.exactInputTokens;
    const inputTokens =
      exact !== undefined && Number.isFinite(exact) && exact > 0
        ? Math.ceil(exact)
        : this.#estimator.input(entry.request, entry.modelClass);
    const maxTokens = Math.max(1, Math.floor(entry.request.maxTokens));
    const outputTokens =
      this.#options.otpmRegime === 'legacy' ? maxTokens : this.#estimator.output(maxTokens, entry.modelClass);
    entry.cost = { requests: 1, inputTokens, outputTokens };
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
    this.#scheduleEstimates();
  }

  #pumpOnce(): void {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const now = this.#clock.now();
    this.#usableKeys = undefined;
    let wakeAtMs = Number.POSITIVE_INFINITY;
    while (this.#inFlight < this.#options.maxInFlight) {
      const head = this.#head(now);
      if (!head) break;
      const plan = this.#planOrFail(head, now);
      if (!plan) continue;
      if (plan.waitMs <= 0) {
        this.#dispatch(head, plan, now);
        continue;
      }
      wakeAtMs = Math.min(wakeAtMs, now + plan.waitMs);
      const filler = this.#backfill(head, plan, now);
      if (filler.entry && filler.plan) {
        this.#dispatch(filler.entry, filler.plan, now);
        continue;
      }
      wakeAtMs = Math.min(wakeAtMs, filler.wakeAtMs, this.#nextAgingMs(now));
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

  /** Rank after aging: one lane up per agingStepMs waited. */
  #rank(entry: RequestEntry, now: number): number {
    const steps = Math.floor((now - entry.submittedAtMs) / Math.max(1, this.#options.agingStepMs));
    return Math.max(0, entry.laneRank - steps);
  }

  #head(now: number): RequestEntry | undefined {
    let best: RequestEntry | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    for (const lane of this.#lanes) {
      const candidate = lane.at(0);
      if (!candidate) continue;
      const rank = this.#rank(candidate, now);
      if (rank < bestRank || (rank === bestRank && best && candidate.seqNo < best.seqNo)) {
        best = candidate;
        bestRank = rank;
      }
    }
    return best;
  }

  /** Earliest moment a lane head's aged rank changes, when that could reorder heads. */
  #nextAgingMs(now: number): number {
    const step = Math.max(1, this.#options.agingStepMs);
    const heads = this.#lanes.map((l) => l.at(0)).filter((e): e is RequestEntry => e !== undefined);
    if (heads.length < 2) return Number.POSITIVE_INFINITY;
    let next = Number.POSITIVE_INFINITY;
    for (const e of heads) {
      if (this.#rank(e, now) === 0) continue;
      const waited = now - e.submittedAtMs;
      next = Math.min(next, e.submittedAtMs + (Math.floor(waited / step) + 1) * step);
    }
    return next;
  }

  #reserveShare(entry: RequestEntry, now: number): number {
    return this.#rank(entry, now) >= 2 ? 1 - this.#options.backgroundBudgetShare : 0;
  }

  #limitsFor(modelClass: string): SchedulerOptions['limits'][string] {
    return this.#options.limits[modelClass] ?? this.#options.limits['*'] ?? {};
  }

  #poolFor(keyId: string, modelClass: string): RatePool {
    let byClass = this.#poolsByKey.get(keyId);
    const cached = byClass?.get(modelClass);
    if (cached) return cached;
    const org = this.#keys.organizationOf(keyId);
    const id = `${org}|${modelClass}`;
    let pool = this.#pools.get(id);
    if (!pool) {
      pool = new RatePool(
        org,
        modelClass,
        this.#limitsFor(modelClass),
        this.#options.headroomShare,
        this.#clock.now(),
      );
      this.#pools.set(id, pool);
    }
    if (!byClass) this.#poolsByKey.set(keyId, (byClass = new Map<string, RatePool>()));
    byClass.set(modelClass, pool);
    return pool;
  }

  /** The key that lets `entry` start soonest (ties: least recently used), or undefined when none can. */
  #plan(entry: RequestEntry, now: number): Plan | undefined {
    const reserveShare = this.#reserveShare(entry, now);
    const isOutputReserved = this.#options.otpmRegime === 'legacy';
    let best: Plan | undefined;
    this.#usableKeys ??= this.#keys.usableKeys(now);
    for (const key of this.#usableKeys) {
      const pool = this.#poolFor(key.id, entry.modelClass);
      if (pool.neverFits(entry.cost, isOutputReserved)) continue;
      const waitMs = Math.max(entry.notBeforeMs - now, pool.waitMs(entry.cost, reserveShare, now));
      if (!best || waitMs < best.waitMs) best = { keyId: key.id, pool, waitMs, reserveShare };
    }
    return best;
  }

  /** Like #plan, but a request that can go nowhere is failed here with the reason. */
  #planOrFail(entry: RequestEntry, now: number): Plan | undefined {
    const plan = this.#plan(entry, now);
    if (!plan) {
      this.#finish(entry, {
        status: 'failed',
        reason: this.#whyNoPlan(entry, now),
        partialText: entry.partialText,
        attempts: entry.attempts,
      });
    }
    return plan;
  }

  #whyNoPlan(entry: RequestEntry, now: number): FailureReason {
    const usable = this.#keys.usableKeys(now);
    if (this.#keys.size === 0)
      return failureFrom('no_keys', 'No Claude API key is stored. Add one to send requests.');
    if (usable.length > 0) {
      const pool = this.#poolFor(usable[0]!.id, entry.modelClass);
      const tooBig = pool.neverFits(entry.cost, this.#options.otpmRegime === 'legacy');
      if (tooBig) {
        const unit = DIMENSION_WORDS[tooBig.dimension].replace(' per minute', '');
        return {
          kind: 'never_fits',
          message: `This request needs ${fmt(tooBig.needed)} ${unit}; your limit is ${fmt(tooBig.limit)} per minute, so it can never be sent. Shorten it or raise the limit.`,
          limit: { dimension: tooBig.dimension, needed: tooBig.needed, perMinute: tooBig.limit },
        };
      }
    }
    const blocks = this.#keys
      .describe(now)
      .map((k) => k.block)
      .filter((b) => b !== undefined);
    const spend = blocks.find((b) => b.kind === 'spend_limit');
    if (spend) {
      return {
        kind: 'spend_limit',
        message: spend.reason,
        ...(spend.untilMs !== undefined ? { resumesAtMs: spend.untilMs } : {}),
        ...(entry.lastError ? { lastError: entry.lastError } : {}),
      };
    }
    const budget = blocks.find((b) => b.kind === 'daily_budget');
    if (budget) {
      return {
        kind: 'daily_budget',
        message: `Every usable key has reached its daily budget (${budget.reason}).`,
        ...(budget.untilMs !== undefined ? { resumesAtMs: budget.untilMs } : {}),
      };
    }
    if (blocks.some((b) => b.kind === 'billing')) {
      return failureFrom(
        'billing',
        'Anthropic reported a billing problem for every usable key.',
        entry.lastError,
      );
    }
    return failureFrom(
      'key_rejected',
      'Every stored API key was rejected by the server (revoked, expired or without permission).',
      entry.lastError,
    );
  }

  /**
   * A request behind the waiting head that can start now without delaying the head's start: it
   * draws on another pool, or leaves the head's pool able to serve the head just as soon.
   */
  #backfill(
    head: RequestEntry,
    headPlan: Plan,
    now: number,
  ): { entry?: RequestEntry; plan?: Plan; wakeAtMs: number } {
    let wakeAtMs = Number.POSITIVE_INFINITY;
    // Keep a slot for the head: a filler still in flight when the head is due would delay it.
    if (this.#inFlight + 1 >= this.#options.maxInFlight) return { wakeAtMs };
    let scanned = 0;
    const headBucketWaitMs = headPlan.pool.waitMs(head.cost, headPlan.reserveShare, now);
    const doomed: RequestEntry[] = [];
    let found: { entry: RequestEntry; plan: Plan } | undefined;
    outer: for (const lane of this.#lanes) {
      for (const entry of lane) {
        if (++scanned > BACKFILL_SCAN) break outer;
        if (entry === head) continue;
        const plan = this.#plan(entry, now);
        if (!plan) {
          doomed.push(entry);
          continue;
        }
        if (plan.waitMs > 0) {
          // A same-pool filler can only pass before the head when the head waits on something other
          // than the buckets (a retry backoff); otherwise waking for it would be a wasted wake-up.
          const couldPass = plan.pool !== headPlan.pool || headBucketWaitMs < headPlan.waitMs;
          if (couldPass) wakeAtMs = Math.min(wakeAtMs, now + plan.waitMs);
          continue;
        }
        if (plan.pool === headPlan.pool) {
          const headWaitAfter = Math.max(
            head.notBeforeMs - now,
            plan.pool.waitMs(head.cost, headPlan.reserveShare, now, entry.cost),
          );
          if (headWaitAfter > headPlan.waitMs) continue;
        }
        found = { entry, plan };
        break outer;
      }
    }
    for (const entry of doomed) this.#planOrFail(entry, now);
    return found ? { ...found, wakeAtMs } : { wakeAtMs };
  }

  #dispatch(entry: RequestEntry, plan: Plan, now: number): void {
    this.#lanes[entry.laneRank]!.remove(entry);
    this.#applyFallbackRoute(entry, now);
    entry.state = 'in_flight';
    entry.attempts++;
    entry.partialText = '';
    this.#inFlight++;
    const pool = this.#poolFor(plan.keyId, entry.modelClass);
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
    this.#usableKeys = undefined;
    const controller = new AbortController();
    entry.attemptController = controller;
    this.#log(
      'info',
      () => `sending ${entry.options.label ?? 'request'} (attempt ${entry.attempts}, ${entry.request.model})`,
      entry.id,
    );
    const send = (): Promise<AttemptOutcome> =>
      this.#transport.send({
        requestId: entry.id,
        keyId: plan.keyId,
        request: entry.request,
        attemptNumber: entry.attempts,
        signal: controller.signal,
        onText: (delta) => {
          if (entry.inFlight !== attempt || entry.state === 'done' || delta === '') return;
          entry.partialText += delta;
          try {
            entry.options.onText?.(delta);
          } catch (error) {
            this.#log('warn', `text listener threw: ${String(error)}`, entry.id);
          }
        },
        onHeaders: (headers) => {
          if (attempt.isSynced) return;
          attempt.isSynced = true;
          this.#syncFrom(attempt, parseRateLimitHeaders(headers, this.#clock.now()));
        },
      });
    let sending: Promise<AttemptOutcome>;
    try {
      sending = send();
    } catch (error) {
      sending = Promise.resolve(transportCrash(error));
    }
    void sending.then(
      (outcome) => this.#onOutcome(entry, attempt, outcome),
      (error: unknown) => this.#onOutcome(entry, attempt, transportCrash(error)),
    );
    this.#changed();
  }

  #syncFrom(attempt: InFlightAttempt, report: RateLimitReport): void {
    const now = this.#clock.now();
    if (report.organizationId) this.#learnOrganization(attempt.keyId, report.organizationId, now);
    this.#poolFor(attempt.keyId, attempt.modelClass).sync(report, attempt.reservation, now);
  }

  /**
   * A response named the key's organization. Its provisional pools join the organization's budget:
   * renamed when the organization has no pool for that class yet, merged into it otherwise, with
   * in-flight reservations moved along so settlement and header sync stay exact.
   */
  #learnOrganization(keyId: string, organizationId: string, now: number): void {
    const previous = this.#keys.organizationOf(keyId);
    if (!this.#keys.learnOrganization(keyId, organizationId)) return;
    this.#poolsByKey = new Map();
    this.#log('info', `key …${this.#last4(keyId)} belongs to organization ${organizationId}`);
    const stillUsed = [...this.#keys.describe(now)].some(
      (k) => this.#keys.organizationOf(k.info.id) === previous,
    );
    if (stillUsed) return;
    for (const pool of [...this.#pools.values()]) {
      if (pool.organizationId !== previous) continue;
      this.#pools.delete(pool.id);
      const target = this.#pools.get(`${organizationId}|${pool.modelClass}`);
      if (!target) {
        pool.rebind(organizationId);
        this.#pools.set(pool.id, pool);
        continue;
      }
      target.adopt(pool, now);
      for (const attempt of this.#attempts) if (attempt.pool === pool) attempt.pool = target;
    }
  }

  #onOutcome(entry: RequestEntry, attempt: InFlightAttempt, outcome: AttemptOutcome): void {
    if (this.#isDisposed) return;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#attempts.delete(attempt);
    if (entry.inFlight === attempt) delete entry.inFlight;
    const now = this.#clock.now();
    const report = parseRateLimitHeaders(outcome.headers, now);
    if (outcome.kind === 'success') {
      if (!attempt.isSynced) this.#syncFrom(attempt, report);
      const counted = countedInput(outcome.usage, attempt.modelClass);
      attempt.pool.settle(
        attempt.reservation,
        { inputTokens: counted, outputTokens: outcome.usage.outputTokens },
        now,
      );
      this.#estimator.learn(
        attempt.modelClass,
        entry.rawInputEstimate,
        totalInput(outcome.usage),
        outcome.usage.outputTokens,
      );
      attempt.pool.noteSuccess(attempt.reservation);
      this.#overloads.delete(entry.request.model);
      this.#finish(entry, {
        status: 'completed',
        text: outcome.text,
        usage: outcome.usage,
        model: entry.request.model,
        usedFallback: entry.usedFallback,
        attempts: entry.attempts,
        keyId: attempt.keyId,
        stopReason: outcome.stopReason,
        ...(outcome.serverRequestId !== undefined ? { serverRequestId: outcome.serverRequestId } : {}),
      });
      this.#pump();
      return;
    }
    const error = outcome.error;
    const isHttpRejection = error.status !== undefined && !error.midStream;
    if (isHttpRejection) {
      attempt.pool.refund(attempt.reservation, now);
      if (!attempt.isSynced) this.#syncFrom(attempt, report);
    } else {
      const usage = outcome.partialUsage;
      attempt.pool.settle(
        attempt.reservation,
        {
          inputTokens: usage ? countedInput(usage, attempt.modelClass) : attempt.reservation.cost.inputTokens,
          outputTokens: usage?.outputTokens ?? Math.ceil(outcome.partialText.length / 4),
        },
        now,
      );
    }
    if (entry.state === 'done') {
      this.#pump();
      return;
    }
    entry.lastError = error;
    const action = decideFailure(error, report, now);
    this.#applySideEffects(entry, attempt, action, error.message, report, now);
    if (outcome.partialText.length > 0 && action.kind !== 'cancelled') {
      this.#finish(entry, {
        status: 'failed',
        reason: failureFrom(
          'interrupted',
          `The answer was interrupted (${describeError(error)}); the partial answer is kept.`,
          error,
        ),
        partialText: outcome.partialText,
        attempts: entry.attempts,
      });
    } else {
      this.#retryOrFail(entry, action, error, report);
    }
    this.#pump();
  }

  #applySideEffects(
    entry: RequestEntry,
    attempt: { keyId: string; modelClass: string },
    action: FailureAction,
    message: string,
    report: RateLimitReport,
    now: number,
  ): void {
    const pool = this.#poolFor(attempt.keyId, attempt.modelClass);
    switch (action.kind) {
      case 'cool_pool': {
        pool.noteSurprise429(action.dimension, report, entry.cost, now);
        if (action.isRamp) pool.slowRamp();
        const coolMs =
          action.coolMs ?? fullJitterDelayMs(this.#options.backoff, entry.rateLimitedCount + 1, this.#random);
        pool.coolUntil(now + coolMs, `cool-down after a 429 on ${DIMENSION_WORDS[action.dimension]}`);
        this.#log(
          'warn',
          `429 (${action.isRamp ? 'acceleration limit' : DIMENSION_WORDS[action.dimension]}): pool ${pool.id} cools down ${Math.ceil(coolMs / 1000)} s`,
          entry.id,
        );
        break;
      }
      case 'quarantine_key':
        this.#keys.quarantine(attempt.keyId, { kind: 'rejected', reason: message });
        this.#log(
          'warn',
          `key …${this.#last4(attempt.keyId)} rejected by the server; rotating to another key`,
          entry.id,
        );
        break;
      case 'block_org': {
        const org = this.#keys.organizationOf(attempt.keyId);
        this.#keys.blockOrganization(org, {
          kind: action.block,
          reason: message,
          ...(action.resumesAtMs !== undefined ? { untilMs: action.resumesAtMs } : {}),
        });
        this.#log('error', `organization ${org} blocked (${action.block})`, entry.id);
        break;
      }
      case 'backoff':
        if (action.isOverload) this.#noteOverload(entry.request.model, now);
        break;
      case 'fail':
      case 'cancelled':
        break;
    }
  }

  #retryOrFail(
    entry: RequestEntry,
    action: FailureAction,
    error: NonNullable<RequestEntry['lastError']>,
    report: RateLimitReport,
  ): void {
    const now = this.#clock.now();
    const fail = (reason: FailureReason): void =>
      this.#finish(entry, { status: 'failed', reason, partialText: '', attempts: entry.attempts });
    switch (action.kind) {
      case 'cancelled':
        this.#finish(entry, { status: 'cancelled', partialText: '' });
        return;
      case 'fail':
        fail(failureFrom('rejected', `The server refused the request: ${error.message}`, error));
        return;
      case 'cool_pool':
        entry.rateLimitedCount++;
        if (entry.rateLimitedCount > this.#options.maxRateLimitRetries) {
          fail(
            failureFrom(
              'rate_limited',
              `Still rate limited after ${entry.rateLimitedCount} tries: ${error.message}`,
              error,
            ),
          );
          return;
        }
        break;
      case 'backoff':
        if (entry.attempts >= this.#options.backoff.maxAttempts) {
          fail(
            failureFrom(
              'retries_exhausted',
              `Gave up after ${entry.attempts} attempts: ${describeError(error)} (${error.message}).`,
              error,
            ),
          );
          return;
        }
        // A server that says when to come back (retry-after on a 529) is believed over our backoff.
        entry.notBeforeMs =
          now +
          Math.max(
            fullJitterDelayMs(this.#options.backoff, entry.attempts, this.#random),
            report.retryAfterMs ?? 0,
          );
        this.#log(
          'info',
          `retrying after ${describeError(error)} in ${Math.ceil((entry.notBeforeMs - now) / 1000)} s`,
          entry.id,
        );
        break;
      case 'quarantine_key':
      case 'block_org':
        break;
    }
    entry.state = 'queued';
    this.#lanes[entry.laneRank]!.insertOrdered(entry);
    this.#changed();
  }

  #noteOverload(model: string, now: number): void {
    const previous = this.#overloads.get(model);
    const count = previous && now - previous.lastAtMs < FALLBACK_RESET_MS ? previous.count + 1 : 1;
    this.#overloads.set(model, { count, lastAtMs: now });
  }

  /** Routes to the fallback model while the primary keeps answering "overloaded". */
  #applyFallbackRoute(entry: RequestEntry, now: number): void {
    const fallback = this.#options.fallbackModel;
    if (!fallback || entry.request.model === fallback) return;
    const overloads = this.#overloads.get(entry.request.model);
    if (
      !overloads ||
      overloads.count < this.#options.fallbackAfterOverloads ||
      now - overloads.lastAtMs >= FALLBACK_RESET_MS
    )
      return;
    this.#log(
      'warn',
      `${entry.request.model} overloaded ${overloads.count} times in a row: using ${fallback}`,
      entry.id,
    );
    this.#price(entry, fallback);
    entry.usedFallback = true;
  }

  #finish(entry: RequestEntry, result: RequestResult): void {
    if (entry.state === 'done') return;
    if (entry.state === 'queued') this.#lanes[entry.laneRank]!.remove(entry);
    entry.state = 'done';
    this.#live.delete(entry.id);
    this.#withDeadline.delete(entry);
    entry.detachSignal?.();
    if (result.status === 'failed') this.#log('warn', `failed: ${result.reason.message}`, entry.id);
    entry.resolve(result);
    this.#changed();
  }

  #progress(entry: RequestEntry): RequestProgress {
    const base = { attempts: entry.attempts, model: entry.request.model };
    if (entry.state !== 'queued') return { state: entry.state, ...base };
    const estimate = this.#currentEstimates().get(entry.id);
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

  #currentEstimates(): Map<string, QueueEstimate> {
    const now = this.#clock.now();
    if (!this.#estimates || now - this.#estimates.atMs >= ESTIMATE_INTERVAL_MS) {
      this.#estimates = { atMs: now, byId: this.#estimateAll(now) };
    }
    return this.#estimates.byId;
  }

  #estimateAll(now: number): Map<string, QueueEstimate> {
    const queued = [...this.#live.values()].filter((e) => e.state === 'queued');
    queued.sort((a, b) => this.#rank(a, now) - this.#rank(b, now) || a.seqNo - b.seqNo);
    return estimateQueue(queued, now, (e) => {
      const plan = this.#plan(e, now);
      return plan ? { pool: plan.pool, ownWaitMs: plan.waitMs, reserveShare: plan.reserveShare } : undefined;
    });
  }

  /** Raises long-wait events, at most once per interval and only after something changed. */
  #scheduleEstimates(): void {
    if (this.#estimateTimer || this.#isDisposed) return;
    let hasDeadline = false;
    for (const e of this.#withDeadline)
      if (e.state === 'queued' && Number.isFinite(e.longWaitDeadlineMs)) hasDeadline = true;
    if (!hasDeadline) return;
    const now = this.#clock.now();
    const dueIn = this.#estimates ? Math.max(0, this.#estimates.atMs + ESTIMATE_INTERVAL_MS - now) : 0;
    this.#estimateTimer = this.#clock.setTimer(() => {
      this.#estimateTimer = undefined;
      this.#raiseLongWaits();
    }, dueIn);
  }

  #raiseLongWaits(): void {
    if (this.#isDisposed) return;
    const now = this.#clock.now();
    this.#estimates = { atMs: now, byId: this.#estimateAll(now) };
    for (const entry of this.#withDeadline) {
      const estimate = this.#estimates.byId.get(entry.id);
      if (entry.state !== 'queued' || !estimate || estimate.startMs <= entry.longWaitDeadlineMs) continue;
      entry.longWaitDeadlineMs = Number.POSITIVE_INFINITY;
      const event: LongWaitEvent = {
        requestId: entry.id,
        estimatedStartMs: estimate.startMs,
        waitingFor: estimate.waitingFor,
        ...(entry.options.label !== undefined ? { label: entry.options.label } : {}),
      };
      this.#log(
        'info',
        `long wait: estimated start in ${Math.ceil((estimate.startMs - now) / 1000)} s (${estimate.waitingFor})`,
        entry.id,
      );
      for (const listener of this.#listeners.longWait) safeCall(listener, event);
    }
  }

  #last4(keyId: string): string {
    return this.#keys.describe(this.#clock.now()).find((k) => k.info.id === keyId)?.info.last4 ?? '????';
  }

  #changed(): void {
    this.#estimates = undefined;
    this.#usableKeys = undefined;
    for (const listener of this.#listeners.change) safeCall(listener, undefined);
  }

  #log(level: SchedulerLogEntry['level'], message: string | (() => string), requestId?: string): void {
    if (this.#listeners.log.size === 0) return;
    const text = typeof message === 'string' ? message : message();
    const entry: SchedulerLogEntry = {
      level,
      message: text,
      ...(requestId !== undefined ? { requestId } : {}),
    };
    for (const listener of this.#listeners.log) safeCall(listener, entry);
  }

  #subscribe<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
    set.add(listener);
    return () => set.delete(listener);
  }
}

function safeCall<T>(listener: Listener<T>, value: T): void {
  try {
    listener(value);
  } catch {
    // A listener's failure must not break scheduling or other listeners.
  }
}

function transportCrash(error: unknown): AttemptOutcome {
  return {
    kind: 'failure',
    error: {
      kind: 'connection',
      message: `The transport failed: ${error instanceof Error ? error.message : String(error)}`,
      midStream: false,
    },
    partialText: '',
  };
}

/** Input tokens as the limit counts them: uncached input plus cache writes (plus reads for † classes). */
function countedInput(usage: Usage, modelClass: string): number {
  return (
    usage.inputTokens +
    usage.cacheCreationInputTokens +
    (cacheReadsCountFor(modelClass) ? usage.cacheReadInputTokens : 0)
  );
}

function totalInput(usage: Usage): number {
  return usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
}

function describeError(error: NonNullable<RequestEntry['lastError']>): string {
  const status = error.status !== undefined ? `${error.status} ` : '';
  return `${status}${error.kind.replace(/_/g, ' ')}${error.midStream ? ' mid-stream' : ''}`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Re-exported for callers that only import the scheduler. */
export type { Cost };
