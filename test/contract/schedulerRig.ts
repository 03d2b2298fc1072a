// The scheduler, the real SDK transport and the simulator wired together on one manual clock.
import { ManualClock } from '../support/manualClock';
import { Scheduler } from '../../src/pacer/scheduling/scheduler';
import type { SchedulerOptions } from '../../src/pacer/scheduling/schedulerOptions';
import type {
  Lane,
  RequestHandle,
  RequestResult,
  SchedulerLogEntry,
} from '../../src/pacer/scheduling/schedulerTypes';
import type { Attempt, AttemptOutcome, Transport, Usage } from '../../src/pacer/transport';
import {
  createAnthropicTransport,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  type AnthropicTransport,
} from '../../src/anthropic/anthropicTransport';
import {
  parseSimulatorConfig,
  startSimulator,
  type RequestRecord,
  type RunningSimulator,
} from '../../sim/simulator';
import { waitUntil } from '../support/waitUntil';

/** The ManualClock's default start, 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
/** A model of the simulator's `sonnet-5` class (the scheduler's `sonnet-5` too). */
export const MODEL = 'claude-sonnet-5';
/** Every reply the default config generates is this many tokens (4 characters each). */
export const REPLY_TOKENS = 10;

/** A stored key: the id the scheduler knows and the secret only the transport sees. */
export interface RigKey {
  readonly id: string;
  readonly secret: string;
}

/** What a rig is built from. */
export interface RigOptions {
  /** Raw simulator config (validated by parseSimulatorConfig). */
  readonly config: Record<string, unknown>;
  readonly keys: readonly RigKey[];
  readonly scheduler?: Partial<SchedulerOptions>;
  /** Real-time wait for response headers. @default 5000 */
  readonly timeoutMs?: number;
  /** Manual-clock idle timeout of started responses. @default the transport's */
  readonly streamIdleTimeoutMs?: number;
}

/** A submitted request with its streamed text and, once it ended, its result. */
export interface Submitted {
  readonly handle: RequestHandle;
  /** Text handed to onText, in order. */
  readonly texts: string[];
  result?: RequestResult;
}

/** One attempt the scheduler handed to the transport (one HTTP request), as it went. */
export interface AttemptRecord {
  readonly requestId: string;
  readonly attemptNumber: number;
  readonly keyId: string;
  readonly model: string;
  readonly sentAtMs: number;
  headersAtMs?: number;
  /** Text deltas handed to onText. */
  deltas: number;
  /** The last time the headers or a delta arrived. */
  lastActivityAtMs?: number;
  outcome?: AttemptOutcome;
  endedAtMs?: number;
}

/** A running rig; `close` tears it down. */
export interface Rig {
  readonly clock: ManualClock;
  readonly sim: RunningSimulator;
  readonly transport: AnthropicTransport;
  readonly scheduler: Scheduler;
  readonly logs: SchedulerLogEntry[];
  /** Every attempt, in the order they were sent, with what the transport returned. */
  readonly attempts: AttemptRecord[];
  /** Submits a request of about `inputTokens` input tokens (4 characters each). */
  submit(options?: { inputTokens?: number; maxTokens?: number; model?: string; lane?: Lane }): Submitted;
  /**
   * Waits (real time, no clock movement) until nothing can happen without the clock: no attempt on
   * the wire, or every attempt on the wire has its headers and every delta the simulator has
   * generated so far (a paced or stalled stream waiting for the clock).
   */
  settle(): Promise<void>;
  /**
   * Alternates settling and jumping the clock to the next timer until `done` holds. Throws when
   * nothing is in flight, no timer is pending and `done` still fails (a stuck scheduler), or when
   * the clock would pass `T0 + limitMs`.
   */
  runUntil(done: () => boolean, limitMs?: number): Promise<void>;
  /** Runs until every given request has a result; returns the results in order. */
  finish(requests: readonly Submitted[], limitMs?: number): Promise<RequestResult[]>;
  /** Simulator records of POST /v1/messages, in arrival order. */
  messages(): RequestRecord[];
  close(): Promise<void>;
}

/** One organization in simulator config form. */
export function org(
  id: string,
  keys: readonly string[],
  limits?: { requestsPerMinute?: number; inputTokensPerMinute?: number; outputTokensPerMinute?: number },
): Record<string, unknown> {
  return { id, keys, ...(limits !== undefined && { limits: { default: limits } }) };
}

/** A simulator config: replies of exactly REPLY_TOKENS tokens sent at once (the clock never has to move for them). */
export function simConfig(
  organizations: readonly Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    seed: 11,
    reply: { minOutputTokens: REPLY_TOKENS, maxOutputTokens: REPLY_TOKENS, tokensPerSecond: 0 },
    organizations,
    ...extra,
  };
}

/** Usage of a completed request as the simulator generates it for `inputTokens` of prompt. */
export function expectedUsage(inputTokens: number): Usage {
  return { inputTokens, outputTokens: REPLY_TOKENS, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
}

/** Starts the simulator and a scheduler on one ManualClock (deterministic random 0.5: backoff is half its ceiling). */
export async function startRig(options: RigOptions): Promise<Rig> {
  const clock = new ManualClock(T0);
  const sim = await startSimulator({ config: parseSimulatorConfig(options.config), clock });
  const secrets = new Map(options.keys.map((k) => [k.id, k.secret]));
  const transport = createAnthropicTransport({
    baseUrl: sim.url,
    secretFor: (id) => secrets.get(id),
    timeoutMs: options.timeoutMs ?? 5_000,
    clock,
    ...(options.streamIdleTimeoutMs !== undefined && { streamIdleTimeoutMs: options.streamIdleTimeoutMs }),
  });
  const idleMs = options.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const attempts: AttemptRecord[] = [];
  const recording: Transport = {
    send: async (attempt: Attempt) => {
      const record: AttemptRecord = {
        requestId: attempt.requestId,
        attemptNumber: attempt.attemptNumber,
        keyId: attempt.keyId,
        model: attempt.request.model,
        sentAtMs: clock.now(),
        deltas: 0,
      };
      attempts.push(record);
      const outcome = await transport.send({
        ...attempt,
        onText: (delta) => {
          record.deltas++;
          record.lastActivityAtMs = clock.now();
          attempt.onText(delta);
        },
        onHeaders: (headers) => {
          record.headersAtMs = clock.now();
          record.lastActivityAtMs = clock.now();
          attempt.onHeaders?.(headers);
        },
      });
      record.outcome = outcome;
      record.endedAtMs = clock.now();
      return outcome;
    },
  };
  const scheduler = new Scheduler({
    clock,
    random: () => 0.5,
    transport: recording,
    options: { maxInFlight: 4, ...options.scheduler },
  });
  scheduler.setKeys(options.keys.map((k) => ({ id: k.id, label: k.id, last4: k.secret.slice(-4) })));
  const logs: SchedulerLogEntry[] = [];
  scheduler.onLog((entry) => logs.push(entry));
  let serial = 0;

  const isQuiet = (): boolean => {
    if (scheduler.snapshot().inFlight === 0) return true;
    const open = attempts.filter((a) => a.outcome === undefined);
    if (open.some((a) => a.headersAtMs === undefined)) return false;
    // An attempt whose idle timeout has run out is being abandoned: its outcome is on its way.
    const now = clock.now();
    if (open.some((a) => now - (a.lastActivityAtMs ?? now) >= idleMs)) return false;
    // Streams the simulator has started and not finished: the client must have caught up with them.
    // (Not sim.stats(): it deep-copies every record, and this runs each event-loop turn.)
    const streaming = sim.streamsInProgress();
    const delivered = open.reduce((sum, a) => sum + a.deltas, 0);
    return streaming.count === open.length && streaming.outputTokens === delivered;
  };
  const settle = async (): Promise<void> => {
    // Real I/O on a loaded machine (parallel test files, other work): a hang guard, not a speed bound.
    await waitUntil(isQuiet, { what: 'the wire to go quiet', timeoutMs: 30_000 });
  };

  const runUntil = async (done: () => boolean, limitMs = 3_600_000): Promise<void> => {
    for (;;) {
      await settle();
      if (done()) return;
      const due = clock.nextDueMs();
      if (due === undefined) throw new Error('stuck: nothing in flight, no timer pending');
      if (due > T0 + limitMs) throw new Error(`the next timer is ${due - T0} ms after T0, past the limit`);
      clock.advanceTo(due);
    }
  };

  return {
    clock,
    sim,
    transport,
    scheduler,
    logs,
    attempts,
    submit: ({ inputTokens = 100, maxTokens = 100, model = MODEL, lane = 'command' } = {}) => {
      // Distinct prompts (the serial) so replies and request hashes differ; 4 characters per token.
      const tag = `r${++serial} `;
      const content = tag + 'x'.repeat(Math.max(0, inputTokens * 4 - tag.length));
      const texts: string[] = [];
      const submitted: Submitted = {
        texts,
        handle: scheduler.submit({
          request: { model, maxTokens, messages: [{ role: 'user', content }] },
          lane,
          onText: (delta) => texts.push(delta),
          label: tag.trim(),
        }),
      };
      void submitted.handle.result.then((result) => (submitted.result = result));
      return submitted;
    },
    settle,
    runUntil,
    finish: async (requests, limitMs) => {
      await runUntil(() => requests.every((r) => r.result !== undefined), limitMs);
      return requests.map((r) => r.result!);
    },
    messages: () => sim.stats().records.filter((r) => r.route === '/v1/messages'),
    close: async () => {
      scheduler.dispose();
      transport.dispose();
      await sim.close();
    },
  };
}
