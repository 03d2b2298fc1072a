import Bottleneck from 'bottleneck';
import type { Lane } from '../../src/pacer/index';
import type { BenchJob, KnownLimits, Strategy } from '../types';
import { clientsFor, createMessage, estimateTokens, limitsFor, OrgRouter } from './peerClients';

/** Bottleneck priorities: 0 is the most important, 5 the default. */
const PRIORITY: Record<Lane, number> = { interactive: 0, command: 5, background: 9 };

/** One of the server's buckets, mirrored by a Bottleneck reservoir that refills like it. */
interface Reservoir {
  readonly limiter: Bottleneck;
  readonly windowSec: number;
  readonly weightOf: (job: BenchJob) => number;
}

/**
 * A token bucket in Bottleneck's own terms: the reservoir starts at the burst (limit × window / 60)
 * and its heartbeat adds limit / 60 per second in small steps, up to the burst. Steps are a
 * twentieth of the window (5–250 ms), so one step never overfills a short bucket.
 */
function bucket(perMinute: number, windowSec: number): Bottleneck {
  const burst = (perMinute * windowSec) / 60;
  const stepMs = Math.min(250, Math.max(5, (windowSec * 1000) / 20));
  return new Bottleneck({
    reservoir: burst,
    reservoirIncreaseAmount: (perMinute / 60_000) * stepMs,
    reservoirIncreaseInterval: stepMs,
    reservoirIncreaseMaximum: burst,
    heartbeatInterval: stepMs,
  });
}

/** The reservoirs a job must pass, the longest window first (see `run`), then requests, total and input tokens. */
function reservoirsFor(known: KnownLimits, model: string): Reservoir[] {
  const limits = limitsFor(known, model);
  const fallback = known.windowSec;
  const windows = known.exact?.windowSec ?? { requests: fallback, input: fallback, tokens: fallback };
  const total = known.exact?.totalTokensPerMinute;
  const all: Reservoir[] = [
    {
      limiter: bucket(limits.requestsPerMinute, windows.requests),
      windowSec: windows.requests,
      weightOf: () => 1,
    },
    ...(total !== undefined
      ? [
          {
            limiter: bucket(total, windows.tokens),
            windowSec: windows.tokens,
            weightOf: (job: BenchJob) => estimateTokens(job) + job.maxTokens,
          },
        ]
      : []),
    {
      limiter: bucket(limits.inputTokensPerMinute, windows.input),
      windowSec: windows.input,
      weightOf: estimateTokens,
    },
  ];
  return all.sort((a, b) => b.windowSec - a.windowSec);
}

/**
 * Passes `job` through every reservoir, then sends. Bottleneck debits a reservoir when a job passes
 * it, so a job waiting in a later one has already paid the earlier ones; putting the longest window
 * first keeps that early payment a small share of its bucket.
 */
function run(
  reservoirs: readonly Reservoir[],
  job: BenchJob,
  send: () => Promise<unknown>,
): Promise<unknown> {
  const priority = PRIORITY[job.lane];
  return reservoirs.reduceRight<() => Promise<unknown>>(
    (inner, r) => () => r.limiter.schedule({ priority, weight: r.weightOf(job) }, inner),
    send,
  )();
}

/** Bottleneck told the exact limits and every limiter's enforcement window: the best a careful library user can do. */
export const bottleneckExact: Strategy = {
  name: 'bottleneck-exact',
  needsLimits: true,
  describe:
    'Bottleneck told the exact limits and the exact enforcement window of every limiter: per (organization, model) one reservoir per bucket (RPM, ITPM and, where the keys have one, the workspace total-token limit), each starting at limit × window / 60 and refilled by `reservoirIncreaseAmount` every `reservoirIncreaseInterval` (a twentieth of its window, 5–250 ms, with the same `heartbeatInterval`) up to `reservoirIncreaseMaximum`; a job passes them nested, the longest window first, with weight 1, ⌈chars / 4⌉ and ⌈chars / 4⌉ + max_tokens; priority interactive 0, command 5, background 9; SDK defaults inside; organizations and keys round-robin.',
  start(ctx) {
    const clients = clientsFor(ctx);
    const router = new OrgRouter(ctx.known, (model) => reservoirsFor(ctx.known, model));
    const stopAll = (): Promise<unknown> =>
      Promise.all(
        router
          .all()
          .flat()
          .map((r) => r.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined)),
      );
    ctx.signal.addEventListener('abort', () => void stopAll(), { once: true });
    return {
      submit: async (job) => {
        const { key, limiter } = router.route(job.model);
        try {
          await run(limiter, job, () => createMessage(clients.get(key)!, job, ctx.signal));
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        await stopAll();
      },
    };
  },
};
