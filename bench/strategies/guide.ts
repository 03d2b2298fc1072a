import { APIError } from '@anthropic-ai/sdk';
import type { Lane } from '../../src/pacer/index';
import type { BenchJob, MinuteLimits, Strategy, StrategyContext } from '../types';
import { GuideTokenBucket, KeyManager, PriorityHeap, sleep } from './guideParts';
import { clientsFor, createMessage, estimateTokens, limitsFor } from './peerClients';

/** Lower runs first. */
const PRIORITY: Record<Lane, number> = { interactive: 0, command: 1, background: 2 };
const BUCKET_POLL_MS = 100;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_JITTER_MS = 500;
const MAX_RETRIES = 5;

/** The limits the developer adds up: every organization's, for every model they use. */
function entitled(ctx: StrategyContext): MinuteLimits {
  const models = Object.keys(ctx.known.limitsByModel ?? {});
  const each = models.length > 0 ? models.map((m) => limitsFor(ctx.known, m)) : [limitsFor(ctx.known, '')];
  const orgs = ctx.known.organizations.length;
  const sum = (f: keyof MinuteLimits): number => orgs * each.reduce((a, l) => a + l[f], 0);
  return {
    requestsPerMinute: sum('requestsPerMinute'),
    inputTokensPerMinute: sum('inputTokensPerMinute'),
    outputTokensPerMinute: sum('outputTokensPerMinute'),
  };
}

interface Queued {
  readonly job: BenchJob;
  readonly resolve: (completed: boolean) => void;
}

/**
 * The recipe of a widely read guide on Claude rate limits: a token bucket polled every 100 ms, a
 * heap priority queue that sleeps 60 / RPM after each request, exponential backoff on a 429, and a
 * key manager that rotates to the least-used key and parks a key for "60 s" after a 429.
 */
export const guide: Strategy = {
  name: 'guide',
  needsLimits: true,
  describe:
    "One input-token bucket (capacity ITPM × W / 60, refill ITPM / 60 per s, summed over organizations and models) polled every 100 ms; one heap priority queue (interactive, command, background) whose loop waits for the bucket, dispatches, then sleeps 60 / RPM s; on a 429 the request sleeps 1 s × 2^n + uniform(0, 0.5 s) and retries (at most 5 retries; other errors fail); key manager: least-used key, a key is parked for W s (the guide's 60 s, scaled) after a 429; SDK maxRetries 0 since the recipe retries itself.",
  start(ctx) {
    const clients = clientsFor(ctx, 0);
    const limits = entitled(ctx);
    const windowSec = ctx.known.windowSec;
    const bucket = new GuideTokenBucket(
      (limits.inputTokensPerMinute * windowSec) / 60,
      limits.inputTokensPerMinute / 60,
    );
    const spacingMs = 60_000 / limits.requestsPerMinute;
    const keys = new KeyManager([...clients.keys()], windowSec * 1000);
    const heap = new PriorityHeap<Queued>();
    const { signal } = ctx;
    let wake: (() => void) | undefined;
    signal.addEventListener('abort', () => wake?.(), { once: true });

    const send = async ({ job, resolve }: Queued): Promise<void> => {
      for (let n = 0; ; n++) {
        const key = await keys.acquire(signal);
        if (key === undefined) return resolve(false);
        try {
          await createMessage(clients.get(key)!, job, signal);
          return resolve(true);
        } catch (error) {
          if (!(error instanceof APIError && error.status === 429) || n >= MAX_RETRIES) return resolve(false);
          keys.park(key);
          await sleep(BACKOFF_BASE_MS * 2 ** n + ctx.random() * BACKOFF_JITTER_MS, signal);
        }
      }
    };

    const loop = async (): Promise<void> => {
      while (!signal.aborted) {
        const item = heap.pop();
        if (!item) {
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        const tokens = estimateTokens(item.job);
        while (!bucket.consume(tokens) && !signal.aborted) await sleep(BUCKET_POLL_MS, signal);
        void send(item);
        await sleep(spacingMs, signal);
      }
      for (let item = heap.pop(); item; item = heap.pop()) item.resolve(false);
    };
    const running = loop();

    return {
      submit: (job) =>
        new Promise<boolean>((resolve) => {
          heap.push(PRIORITY[job.lane], { job, resolve });
          wake?.();
          wake = undefined;
        }),
      close: () => running,
    };
  },
};
