import type { ModelClassConfig, OrganizationConfig } from '../sim/config';
import type { SimulatorConfig, SimulatorStats } from '../sim/simulator';
import { organizationLimits, resolveModelClass, workspaceLimits } from '../sim/modelClasses';
import { windowSecOf, type AnyLimiter } from '../sim/rateLimiter';
import { countTokens } from '../sim/tokens';
import type { JobResult, RunResult } from './harness';

/** p50 / p95 / max of a sample, in ms; null when empty. */
export interface Spread {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

/** A dimension of the server's limits; `totalTokens` is a workspace's input + output limit. */
type Dim = 'requests' | 'inputTokens' | 'outputTokens' | 'totalTokens';
const DIMS: readonly Dim[] = ['requests', 'inputTokens', 'outputTokens', 'totalTokens'];
const LIMITER: Record<Dim, AnyLimiter> = {
  requests: 'requests',
  inputTokens: 'input',
  outputTokens: 'output',
  totalTokens: 'tokens',
};

/** Nearest-rank percentile of a sorted sample. */
function rank(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** p50, p95 and max of `values`, rounded to ms. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { p50: null, p95: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  return { p50: Math.round(rank(s, 0.5)), p95: Math.round(rank(s, 0.95)), max: Math.round(s[s.length - 1]!) };
}

/** One pool of the server as the lower bound sees it: summed over organizations, since keys are free to pick. */
export interface PoolBound {
  readonly modelClass: string;
  /** Burst per dimension (limit × that limiter's window / 60); Infinity for a dimension with no limit. */
  readonly capacity: Record<Dim, number>;
  readonly ratePerSec: Record<Dim, number>;
  readonly cost: Record<Dim, number>;
  /** (Σ cost − capacity) / rate, the binding dimension's, in ms. */
  readonly boundMs: number;
  readonly binding: Dim;
}

/**
 * Per-minute limits of an organization's pool for each dimension. Total tokens are limited only when
 * every key of the organization sits in a workspace that sets a total-token limit.
 */
function minuteLimits(org: OrganizationConfig, cls: ModelClassConfig): Record<Dim, number> {
  const limits = organizationLimits(org, cls);
  const keyed = org.workspaces.filter((w) => w.keys.length > 0);
  const totals = keyed.map((w) => workspaceLimits(w, cls.id).totalTokensPerMinute);
  const isTotalLimited = org.keys.length === 0 && keyed.length > 0 && totals.every((t) => t !== undefined);
  return {
    requests: limits.requestsPerMinute,
    inputTokens: limits.inputTokensPerMinute,
    outputTokens: limits.outputTokensPerMinute,
    totalTokens: isTotalLimited ? totals.reduce((a: number, t) => a + (t ?? 0), 0) : Number.POSITIVE_INFINITY,
  };
}

/** The best makespan any client could reach, from the simulator's own limits, windows and token counting. */
export function lowerBound(
  config: SimulatorConfig,
  jobs: readonly JobResult['job'][],
): { ms: number; pools: PoolBound[] } {
  const byClass = new Map<string, Record<Dim, number>>();
  for (const job of jobs) {
    const cls = resolveModelClass(config, job.model).id;
    const cost = byClass.get(cls) ?? { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    const input = countTokens([job.prompt], config.tokenizer);
    const output = Math.min(job.maxTokens, config.reply.minOutputTokens);
    cost.requests += 1;
    cost.inputTokens += input;
    cost.outputTokens += output;
    cost.totalTokens += input + output;
    byClass.set(cls, cost);
  }
  const shareKey = { requests: 'requests', inputTokens: 'input', outputTokens: 'output' } as const;
  const pools: PoolBound[] = [];
  for (const [modelClass, cost] of byClass) {
    const capacity = { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    const ratePerSec = { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    for (const org of config.organizations) {
      const limits = minuteLimits(org, resolveModelClass(config, modelClass));
      const competitor = config.competitors.find(
        (c) => c.organization === org.id && c.modelClass === modelClass,
      );
      for (const d of DIMS) {
        // The competitor only takes from organization buckets, never from a workspace's total.
        const share = d === 'totalTokens' ? 0 : (competitor?.share[shareKey[d]] ?? 0);
        capacity[d] += (limits[d] * windowSecOf(config, LIMITER[d])) / 60;
        ratePerSec[d] += (limits[d] / 60) * (1 - share);
      }
    }
    let boundMs = 0;
    let binding: Dim = 'requests';
    for (const d of DIMS) {
      if (!Number.isFinite(ratePerSec[d])) continue;
      const ms = (Math.max(0, cost[d] - capacity[d]) / ratePerSec[d]) * 1000;
      if (ms > boundMs) [boundMs, binding] = [ms, d];
    }
    pools.push({ modelClass, capacity, ratePerSec, cost, boundMs, binding });
  }
  const lastArrival = Math.max(0, ...jobs.map((j) => j.arriveAtMs));
  return { ms: Math.max(lastArrival, ...pools.map((p) => p.boundMs)), pools };
}

/** The figures of one (scenario, strategy). */
export interface RunFigures {
  readonly requests: number;
  readonly completed: number;
  readonly failed: number;
  readonly unfinished: number;
  readonly status429: number;
  readonly status529: number;
  /** 429s among all HTTP responses (the simulator's count, or the client's attempts in external runs). */
  readonly share429OfResponses: number;
  /** Share of requests that received a 429 on an attempt sent after the run's first response. */
  readonly share429AfterFirstResponse: number;
  readonly makespanMs: number;
  readonly lowerBoundMs?: number;
  readonly makespanOverBound?: number;
  readonly utilisation?: number;
  /** Submission → completion. `background` is every non-interactive request. */
  readonly latencyMs: { readonly interactive: Spread; readonly background: Spread };
  /** Submission → start of the attempt that succeeded. */
  readonly waitMs: { readonly interactive: Spread; readonly background: Spread };
  /** Median duration of one HTTP attempt (send → response or end of stream), ms: with a cap on requests in flight, throughput ≤ cap / this. */
  readonly attemptMsP50: number | null;
  /** Refill time of the largest interactive request's own cost on its binding dimension, ms. */
  readonly interactiveRefillSlotMs?: number;
  /**
   * p95 of the wait interactive requests would have in their own lane alone on an empty bucket: in
   * arrival order per pool, each starts when the previous one's refill slot (its own cost) has passed.
   * One refill slot when they come one at a time; a burst of five queues four slots for its last.
   */
  readonly interactiveLaneQueueP95Ms?: number;
}

/** Computes the figures of a run; server-side 429/529 counts when simulator stats are given. */
export function figuresOf(
  run: RunResult,
  sim?: { config: SimulatorConfig; stats: SimulatorStats },
): RunFigures {
  const jobs = run.jobs;
  const completed = jobs.filter((j) => j.outcome === 'completed');
  const isInteractive = (j: JobResult): boolean => j.job.lane === 'interactive';
  const latency = (js: JobResult[]): number[] => js.map((j) => j.doneMs! - j.submittedMs);
  const successStart = (j: JobResult): number =>
    j.attempts.filter((a) => a.status === 200).at(-1)?.startMs ?? j.doneMs!;
  const wait = (js: JobResult[]): number[] => js.map((j) => successStart(j) - j.submittedMs);
  const first = run.firstResponseMs ?? Number.POSITIVE_INFINITY;
  const late429 = jobs.filter((j) => j.attempts.some((a) => a.status === 429 && a.startMs >= first)).length;
  const clientCount = (s: number): number =>
    jobs.reduce((n, j) => n + j.attempts.filter((a) => a.status === s).length, 0);
  const ends = jobs.map((j) => j.doneMs ?? Number.NaN).filter((t) => Number.isFinite(t));
  const makespanMs = Math.round(Math.max(0, ...ends));
  const status429 = sim ? (sim.stats.responsesByStatus['429'] ?? 0) : clientCount(429);
  const responses = sim
    ? Object.values(sim.stats.responsesByStatus).reduce((a, n) => a + n, 0)
    : jobs.reduce((n, j) => n + j.attempts.length, 0);
  const attemptMs = jobs.flatMap((j) =>
    j.attempts.flatMap((a) => (a.endMs !== undefined ? [a.endMs - a.startMs] : [])),
  );
  const figures: RunFigures = {
    requests: jobs.length,
    completed: completed.length,
    failed: jobs.filter((j) => j.outcome === 'failed').length,
    unfinished: jobs.filter((j) => j.outcome === 'unfinished').length,
    status429,
    share429OfResponses: responses > 0 ? status429 / responses : 0,
    status529: sim ? (sim.stats.responsesByStatus['529'] ?? 0) : clientCount(529),
    share429AfterFirstResponse: jobs.length ? late429 / jobs.length : 0,
    makespanMs,
    attemptMsP50: spread(attemptMs).p50,
    latencyMs: {
      interactive: spread(latency(completed.filter(isInteractive))),
      background: spread(latency(completed.filter((j) => !isInteractive(j)))),
    },
    waitMs: {
      interactive: spread(wait(completed.filter(isInteractive))),
      background: spread(wait(completed.filter((j) => !isInteractive(j)))),
    },
  };
  if (!sim) return figures;
  const bound = lowerBound(
    sim.config,
    jobs.map((j) => j.job),
  );
  const pool = bound.pools.reduce((a, b) => (b.boundMs > a.boundMs ? b : a));
  let served = 0;
  for (const byClass of Object.values(sim.stats.tokensDebited)) {
    const totals = byClass[pool.modelClass];
    if (!totals) continue;
    served +=
      pool.binding === 'totalTokens' ? totals.inputTokens + totals.outputTokens : totals[pool.binding];
  }
  const slotOf = (j: JobResult): number => {
    const p = bound.pools.find((b) => b.modelClass === resolveModelClass(sim.config, j.job.model).id)!;
    const input = countTokens([j.job.prompt], sim.config.tokenizer);
    const total = input + Math.min(j.job.maxTokens, sim.config.reply.minOutputTokens);
    return (
      Math.max(
        1 / p.ratePerSec.requests,
        input / p.ratePerSec.inputTokens,
        total / p.ratePerSec.totalTokens,
      ) * 1000
    );
  };
  const interactive = jobs.filter(isInteractive);
  const slot = Math.max(0, ...interactive.map(slotOf));
  const laneQueue = laneQueueMs(interactive, slotOf, (j) => resolveModelClass(sim.config, j.job.model).id);
  return {
    ...figures,
    lowerBoundMs: Math.round(bound.ms),
    makespanOverBound: makespanMs / bound.ms,
    utilisation:
      makespanMs > 0
        ? (served - pool.capacity[pool.binding]) / (pool.ratePerSec[pool.binding] * (makespanMs / 1000))
        : 0,
    ...(slot > 0 ? { interactiveRefillSlotMs: Math.round(slot) } : {}),
    ...(laneQueue.p95 !== null ? { interactiveLaneQueueP95Ms: laneQueue.p95 } : {}),
  };
}

/** Waits of `jobs` served alone, in arrival order per pool, one refill slot (`slotOf`) each, from an empty bucket. */
export function laneQueueMs<J extends { readonly submittedMs: number }>(
  jobs: readonly J[],
  slotOf: (j: J) => number,
  poolOf: (j: J) => string,
): Spread {
  const freeAtMs = new Map<string, number>();
  const waits = [...jobs]
    .sort((a, b) => a.submittedMs - b.submittedMs)
    .map((j) => {
      const doneMs = Math.max(j.submittedMs, freeAtMs.get(poolOf(j)) ?? 0) + slotOf(j);
      freeAtMs.set(poolOf(j), doneMs);
      return doneMs - j.submittedMs;
    });
  return spread(waits);
}
