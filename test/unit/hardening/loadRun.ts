// A load of mixed requests (lanes, models, sizes, cancellations) through the contract rig: the
// scheduler, the real SDK transport and the simulator on one manual clock. Records what every
// request went through so the fault matrix can judge each ending against its attempt history.
import type { SchedulerOptions } from '../../../src/pacer/scheduling/schedulerOptions';
import type { Lane, RequestHandle, RequestResult } from '../../../src/pacer/scheduling/schedulerTypes';
import type { Fault } from '../../../sim/simulator';
import {
  org,
  simConfig,
  startRig,
  T0,
  type AttemptRecord,
  type Rig,
  type RigKey,
} from '../../contract/schedulerRig';

export const ORG_A = '4a7d0000-0000-4000-8000-0000000000aa';
export const ORG_B = '4a7d0000-0000-4000-8000-0000000000bb';
/** Organization A has two keys; a key-targeted fault always hits A1. */
export const A1: RigKey = { id: 'a1', secret: 'sk-ant-sim-hardening-a1-Q7xK' };
export const A2: RigKey = { id: 'a2', secret: 'sk-ant-sim-hardening-a2-W3pL' };
/** Organization B's only key: the unaffected pool of a fault aimed at A1. */
export const B1: RigKey = { id: 'b1', secret: 'sk-ant-sim-hardening-b1-Z9mN' };
export const ALL_KEYS: readonly RigKey[] = [A1, A2, B1];

/** The two models of the load; each organization has one pool per model class. */
export const MODELS = [
  { model: 'claude-sonnet-5', simClass: 'sonnet-5' },
  { model: 'claude-haiku-4-5', simClass: 'haiku-4-5' },
] as const;

/** Per organization and model class: 30 requests a minute (a 30 burst, then one per 2 s), tokens roomy. */
export const LOAD_LIMITS = {
  requestsPerMinute: 30,
  inputTokensPerMinute: 6_000_000,
  outputTokensPerMinute: 6_000_000,
};
/** Every reply is this many one-token deltas. */
export const REPLY_DELTAS = 5;
/** Input tokens of a "large" request (every 10th). */
export const LARGE_INPUT_TOKENS = 3_000;
export const SMALL_INPUT_TOKENS = 100;
/** Transient failures: 5 attempts, backoff ceilings 1, 2, 4, 8 s, drawn at 0.5. */
export const LOAD_BACKOFF: SchedulerOptions['backoff'] = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxAttempts: 5,
};

/** At which stage a request of the load is cancelled by its caller. */
export type CancelStage = 'queued' | 'streaming' | 'waiting';

/** One request of the load, with everything observed about it. */
export interface LoadRequest {
  readonly index: number;
  readonly lane: Lane;
  readonly model: string;
  readonly simClass: string;
  readonly inputTokens: number;
  readonly cancelAt?: CancelStage;
  handle?: RequestHandle;
  /** Streamed text, in order. */
  readonly texts: string[];
  /** Deltas that arrived after the result: must stay 0. */
  textsAfterEnd: number;
  result?: RequestResult;
  resolutions: number;
  /** `handle.cancel()` was called before the result arrived. */
  isCancelCalled: boolean;
  /** Where the request was when it was cancelled. */
  cancelledWhile?: 'queued' | 'in_flight' | 'retry_wait';
  /** How many attempts the rig had recorded (all requests) when this one ended. */
  attemptsWhenEnded?: number;
  endedAtMs?: number;
}

/** How a load is run. */
export interface LoadOptions {
  readonly faults: readonly Fault[];
  /** @default 200 */
  readonly count?: number;
  /** Keys the scheduler holds. @default ALL_KEYS */
  readonly keys?: readonly RigKey[];
  readonly scheduler?: Partial<SchedulerOptions>;
  /** Extra simulator config (e.g. `overloaded`). */
  readonly sim?: Record<string, unknown>;
  /** Real-time wait for headers. @default 5000 */
  readonly timeoutMs?: number;
  /** Whether to cancel some requests (one in 40 at each stage: 5 each of 200). @default true */
  readonly withCancels?: boolean;
  /** Stops at this much simulated time. @default 30 min */
  readonly limitMs?: number;
  /** Requests a minute of each pool (organization and model class). @default LOAD_LIMITS.requestsPerMinute */
  readonly requestsPerMinute?: number;
}

/** A finished load. */
export interface LoadRun {
  readonly rig: Rig;
  readonly requests: readonly LoadRequest[];
  /** Attempts of one request, in order. */
  attemptsOf(request: LoadRequest): AttemptRecord[];
  /** Moments a ready request waited while organization B had a bucket sitting full for its model class. */
  readonly stalls: readonly string[];
  /** Simulated ms from T0 until the last request ended. */
  readonly makespanMs: number;
}

function laneOf(i: number): Lane {
  return (['interactive', 'command', 'background'] as const)[i % 3]!;
}

function cancelStageOf(i: number): CancelStage | undefined {
  if (i % 40 === 7) return 'queued';
  if (i % 40 === 19) return 'streaming';
  if (i % 40 === 31) return 'waiting';
  return undefined;
}

/** Request number `index` of the load: lane, model and size rotate; some are marked for cancelling. */
export function loadRequest(index: number, withCancels = true): LoadRequest {
  const cancelAt = withCancels ? cancelStageOf(index) : undefined;
  const { model, simClass } = MODELS[index % 2]!;
  return {
    index,
    lane: laneOf(index),
    model,
    simClass,
    inputTokens: index % 10 === 3 ? LARGE_INPUT_TOKENS : SMALL_INPUT_TOKENS,
    ...(cancelAt !== undefined && { cancelAt }),
    texts: [],
    textsAfterEnd: 0,
    resolutions: 0,
    isCancelCalled: false,
  };
}

/** Cancels a submitted request that has not ended, noting where it was. */
export function cancelRequest(r: LoadRequest): void {
  if (r.handle === undefined) return;
  // The result callback runs a microtask later than the end: ask the handle, not r.result.
  const progress = r.handle.progress();
  if (progress.state === 'done') return;
  r.isCancelCalled = true;
  r.cancelledWhile =
    progress.state === 'in_flight' ? 'in_flight' : progress.retryAtMs !== undefined ? 'retry_wait' : 'queued';
  r.handle.cancel();
}

/** Submits `r` to the rig's scheduler and records its text, its result and when it ended. */
export function submitRequest(rig: Rig, r: LoadRequest): void {
  // Distinct prompts, 4 characters per token, so every request is its own body.
  const tag = `load-${r.index} `;
  const content = tag + 'x'.repeat(r.inputTokens * 4 - tag.length);
  r.handle = rig.scheduler.submit({
    request: { model: r.model, maxTokens: 64, messages: [{ role: 'user', content }] },
    lane: r.lane,
    label: tag.trim(),
    onText: (delta) => {
      if (r.result !== undefined) r.textsAfterEnd++;
      r.texts.push(delta);
      if (r.cancelAt === 'streaming' && r.texts.length === 1) cancelRequest(r);
    },
  });
  void r.handle.result.then((result) => {
    r.resolutions++;
    r.result = result;
    r.attemptsWhenEnded = rig.attempts.length;
    r.endedAtMs = rig.clock.now();
  });
  if (r.cancelAt === 'queued') cancelRequest(r);
}

/** The rig of the load: organizations A (a1, a2) and B (b1) at LOAD_LIMITS, replies of REPLY_DELTAS deltas. */
export function startLoadRig(options: Omit<LoadOptions, 'count' | 'withCancels' | 'limitMs'>): Promise<Rig> {
  const limits = {
    ...LOAD_LIMITS,
    requestsPerMinute: options.requestsPerMinute ?? LOAD_LIMITS.requestsPerMinute,
  };
  return startRig({
    config: simConfig([org(ORG_A, [A1.secret, A2.secret], limits), org(ORG_B, [B1.secret], limits)], {
      reply: { minOutputTokens: REPLY_DELTAS, maxOutputTokens: REPLY_DELTAS, tokensPerSecond: 0 },
      faults: options.faults,
      ...options.sim,
    }),
    keys: options.keys ?? ALL_KEYS,
    // The load starts from the configured limits; first-contact probing has its own tests.
    scheduler: { maxInFlight: 8, backoff: LOAD_BACKOFF, probeFirst: false, ...options.scheduler },
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
}

/** A finished run of `requests` on `rig`. */
export function loadRunOf(
  rig: Rig,
  requests: readonly LoadRequest[],
  stalls: readonly string[] = [],
): LoadRun {
  const byRequest = new Map<string, AttemptRecord[]>();
  for (const a of rig.attempts) byRequest.set(a.requestId, [...(byRequest.get(a.requestId) ?? []), a]);
  return {
    rig,
    requests,
    attemptsOf: (r) => (r.handle ? (byRequest.get(r.handle.id) ?? []) : []),
    stalls,
    makespanMs: Math.max(...requests.map((r) => r.endedAtMs ?? T0)) - T0,
  };
}

/**
 * Submits `count` requests (half at T0, the rest 10 per simulated second), lanes rotating
 * interactive / command / background, models alternating, every 10th large; cancels one in 40
 * while queued, one in 40 at its first streamed delta and one in 40 still unfinished 12 s in (5
 * each of 200). Runs until every request ended, watching organization B's buckets for stalls at
 * each stop of the clock.
 */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const count = options.count ?? 200;
  const rig = await startLoadRig(options);
  const requests = Array.from({ length: count }, (_, index) => loadRequest(index, options.withCancels));
  const submit = (r: LoadRequest): void => submitRequest(rig, r);
  const half = Math.ceil(count / 2);
  for (const r of requests.slice(0, half)) submit(r);
  for (let wave = 0; half + wave * 10 < count; wave++) {
    rig.clock.setTimer(
      () => requests.slice(half + wave * 10, half + wave * 10 + 10).forEach(submit),
      (wave + 1) * 1_000,
    );
  }
  rig.clock.setTimer(() => {
    for (const r of requests) if (r.cancelAt === 'waiting' && r.result === undefined) cancelRequest(r);
  }, 12_000);

  const stalls: string[] = [];
  const hasB = (options.keys ?? ALL_KEYS).includes(B1);
  const watchB = (): void => {
    if (!hasB || rig.scheduler.snapshot().keys.find((k) => k.id === 'b1')?.state !== 'ok') return;
    for (const { simClass } of MODELS) {
      const ready = requests.filter(
        (r) =>
          r.simClass === simClass &&
          r.lane !== 'background' &&
          r.handle !== undefined &&
          r.result === undefined &&
          r.handle.progress().state === 'queued' &&
          r.handle.progress().retryAtMs === undefined,
      );
      const level = rig.sim.bucketLevels(ORG_B, simClass).requests;
      // Room for 3 (not 2): `requests-remaining` is floored (our level is up to 1 below the
      // server's), and a request aborted on the wire may never have reached the server (1 more).
      if (ready.length > 0 && level >= 3) {
        stalls.push(
          `${rig.clock.now() - T0} ms: ${ready.length} ready ${simClass} requests, B's bucket at ${level.toFixed(1)}`,
        );
      }
    }
  };
  const limitMs = options.limitMs ?? 30 * 60_000;
  try {
    for (;;) {
      await rig.settle();
      watchB();
      if (requests.every((r) => r.result !== undefined)) break;
      const due = rig.clock.nextDueMs();
      if (due === undefined)
        throw new Error('stuck: requests unfinished, nothing in flight, no timer pending');
      if (due > T0 + limitMs) throw new Error(`still running ${limitMs} ms after T0`);
      rig.clock.advanceTo(due);
    }
  } catch (error) {
    // The caller closes the rig of a run it gets; a run that threw would leave the simulator listening.
    await rig.close();
    throw error;
  }
  return loadRunOf(rig, requests, stalls);
}
