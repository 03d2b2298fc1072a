import type { SimulatorConfig, SimulatorStats } from '../sim/simulator';
import { organizationLimits, resolveModelClass } from '../sim/modelClasses';
import { countTokens } from '../sim/tokens';
import type { JobResult, RunResult } from './harness';

/** p50 / p95 / max of a sample, in ms; null when empty. */
export interface Spread {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

type Dim = 'requests' | 'inputTokens' | 'outputTokens';
const DIMS: readonly Dim[] = ['requests', 'inputTokens', 'outputTokens'];

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
  readonly capacity: Record<Dim, number>;
  readonly ratePerSec: Record<Dim, number>;
  readonly cost: Record<Dim, number>;
  /** (Σ cost − capacity) / rate, the binding dimension's, in ms. */
  readonly boundMs: number;
  readonly binding: Dim;
}

/** The best makespan any client could reach, from the simulator's own limits and token counting. */
export function lowerBound(
  config: SimulatorConfig,
  jobs: readonly JobResult['job'][],
): { ms: number; pools: PoolBound[] } {
  const byClass = new Map<string, Record<Dim, number>>();
  for (const job of jobs) {
    const cls = resolveModelClass(config, job.model).id;
    const cost = byClass.get(cls) ?? { requests: 0, inputTokens: 0, outputTokens: 0 };
    cost.requests += 1;
    cost.inputTokens += countTokens([job.prompt], config.tokenizer);
    cost.outputTokens += Math.min(job.maxTokens, config.reply.minOutputTokens);
    byClass.set(cls, cost);
  }
  const field = {
    requests: 'requestsPerMinute',
    inputTokens: 'inputTokensPerMinute',
    outputTokens: 'outputTokensPerMinute',
  } as const;
  const shareKey = { requests: 'requests', inputTokens: 'input', outputTokens: 'output' } as const;
  const pools: PoolBound[] = [];
  for (const [modelClass, cost] of byClass) {
    const capacity = { requests: 0, inputTokens: 0, outputTokens: 0 };
    const ratePerSec = { requests: 0, inputTokens: 0, outputTokens: 0 };
    for (const org of config.organizations) {
      const limits = organizationLimits(org, resolveModelClass(config, modelClass));
      const competitor = config.competitors.find(
        (c) => c.organization === org.id && c.modelClass === modelClass,
      );
      for (const d of DIMS) {
        capacity[d] += (limits[field[d]] * config.burstWindowSec) / 60;
        ratePerSec[d] += (limits[field[d]] / 60) * (1 - (competitor?.share[shareKey[d]] ?? 0));
      }
    }
    let boundMs = 0;
    let binding: Dim = 'requests';
    for (const d of DIMS) {
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
  /** Refill time of the largest interactive request's cost (its binding dimension), ms. */
  readonly interactiveRefillSlotMs?: number;
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
  const attemptMs = jobs.flatMap((j) =>
    j.attempts.flatMap((a) => (a.endMs !== undefined ? [a.endMs - a.startMs] : [])),
  );
  const figures: RunFigures = {
    requests: jobs.length,
    completed: completed.length,
    failed: jobs.filter((j) => j.outcome === 'failed').length,
    unfinished: jobs.filter((j) => j.outcome === 'unfinished').length,
    status429: sim ? (sim.stats.responsesByStatus['429'] ?? 0) : clientCount(429),
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
  for (const byClass of Object.values(sim.stats.tokensDebited))
    served += byClass[pool.modelClass]?.[pool.binding] ?? 0;
  const slot = Math.max(
    0,
    ...jobs.filter(isInteractive).map((j) => {
      const p = bound.pools.find((b) => b.modelClass === resolveModelClass(sim.config, j.job.model).id)!;
      const input = countTokens([j.job.prompt], sim.config.tokenizer);
      return Math.max(1 / p.ratePerSec.requests, input / p.ratePerSec.inputTokens) * 1000;
    }),
  );
  return {
    ...figures,
    lowerBoundMs: Math.round(bound.ms),
    makespanOverBound: makespanMs / bound.ms,
    utilisation:
      makespanMs > 0
        ? (served - pool.capacity[pool.binding]) / (pool.ratePerSec[pool.binding] * (makespanMs / 1000))
        : 0,
    ...(slot > 0 ? { interactiveRefillSlotMs: Math.round(slot) } : {}),
  };
}
