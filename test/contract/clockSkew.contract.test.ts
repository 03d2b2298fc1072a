// Clients whose clocks disagree (by ±5 s and ±60 s) share one budget: four schedulers, each on its
// own skewed clock, lease from the local coordinator (real sockets; its store runs on the clock of
// the window that keeps it) or from a real redis-server (Redis's own time). The server they send to
// keeps true time: it never sees more than capacity + refill × Δt, answers no 429, and every request
// ends exactly once. Real time, kept short: the burst plus a fraction of a second of refill.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalSharedBudget } from '../../src/coordination/local/localSharedBudget';
import { RedisSharedBudget } from '../../src/coordination/redis/redisSharedBudget';
import {
  createSystemClock,
  Scheduler,
  type AttemptOutcome,
  type Clock,
  type SharedBudget,
  type Transport,
} from '../../src/pacer/index';
import { TokenBucket } from '../../src/pacer/limits/tokenBucket';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { waitUntil } from '../support/waitUntil';

const ORG = 'org-skew';
/** Per minute: a burst of 240 and a refill of 4 a second. */
const LIMIT = 240;
const PER_CLIENT = 63;
const SKEWS_MS = [0, 5_000, -5_000, 60_000, -60_000];
/**
 * How much later than its grant the server may see a request (event loop, socket, two busy cores):
 * the bound's slack. Grants spread over time can arrive bunched, and the server's full bucket banks
 * no refill meanwhile; so its capacity and the bound allow refill × this much on top (2 requests).
 */
const DELIVERY_SLACK_MS = 500;
const SLACK_REQUESTS = (LIMIT * DELIVERY_SLACK_MS) / 60_000;

/** The real clock, `offsetMs` off: its timers are real (a skew moves the time of day, not durations). */
function skewedClock(offsetMs: number): Clock {
  const real = createSystemClock();
  return {
    now: () => Date.now() + offsetMs,
    setTimer: (callback, delayMs) => real.setTimer(callback, delayMs),
    clearTimer: (handle) => real.clearTimer(handle),
  };
}

/** One organization's limit on true time; records when each request arrived (429s too) and what it answered. */
class TrueTimeServer {
  readonly #bucket = new TokenBucket(LIMIT + SLACK_REQUESTS, LIMIT, Date.now());
  readonly arrivals: number[] = [];
  readonly successes = new Map<string, number>();
  rejected = 0;

  /** The transport of one client: request ids are per scheduler, so `client` tells them apart. */
  transport(client: string): Transport {
    return {
      send: (attempt): Promise<AttemptOutcome> => {
        const now = Date.now();
        this.arrivals.push(now);
        const isAdmitted = this.#bucket.levelAt(now) >= 1;
        if (isAdmitted) this.#bucket.take(1, now);
        const headers = new Headers({
          'anthropic-organization-id': ORG,
          date: new Date(now).toUTCString(),
          'anthropic-ratelimit-requests-limit': String(LIMIT),
          'anthropic-ratelimit-requests-remaining': String(Math.floor(this.#bucket.levelAt(now))),
        });
        if (!isAdmitted) {
          this.rejected++;
          headers.set('retry-after', '1');
          return Promise.resolve({
            kind: 'failure',
            error: { kind: 'rate_limited', status: 429, message: 'rate limited', midStream: false, headers },
            partialText: '',
          });
        }
        const id = `${client}/${attempt.requestId}`;
        this.successes.set(id, (this.successes.get(id) ?? 0) + 1);
        return Promise.resolve({
          kind: 'success',
          text: 'ok',
          usage: { inputTokens: 10, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
          stopReason: 'end_turn',
          headers,
        });
      },
    };
  }
}

/** No window of arrivals holds more than capacity + refill × (Δt + slack). */
function assertTrueTimeBound(arrivals: readonly number[]): void {
  const sorted = [...arrivals].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++)
    for (let j = i; j < sorted.length; j++) {
      const allowed = LIMIT + SLACK_REQUESTS + (LIMIT * (sorted[j]! - sorted[i]!)) / 60_000;
      assert.ok(j - i + 1 <= allowed, `${j - i + 1} arrivals in ${sorted[j]! - sorted[i]!} ms`);
    }
}

/** Four skewed schedulers, one budget each (all sharing one store): runs them dry and checks the server's view. */
async function runSkewed(budgets: readonly SharedBudget[], skewsMs: readonly number[]): Promise<void> {
  const server = new TrueTimeServer();
  const schedulers = budgets.map((sharedBudget, i) => {
    const scheduler = new Scheduler({
      clock: skewedClock(skewsMs[i]!),
      random: () => 0.5,
      transport: server.transport(`c${i}`),
      options: { limits: { '*': { requests: LIMIT, inputTokens: 10_000_000, outputTokens: 10_000_000 } } },
      sharedBudget,
    });
    scheduler.setKeys([{ id: `k${i}`, label: `k${i}`, last4: `000${i}` }]);
    scheduler.learnKeyOrganization(`k${i}`, new Headers({ 'anthropic-organization-id': ORG }));
    return scheduler;
  });
  const handles = schedulers.flatMap((scheduler) =>
    Array.from({ length: PER_CLIENT }, () =>
      scheduler.submit({
        lane: 'command',
        inputTokens: 10,
        request: { model: 'claude-sonnet-4-6', maxTokens: 1, messages: [{ role: 'user', content: 'hi' }] },
      }),
    ),
  );
  try {
    const results = await Promise.all(handles.map((h) => h.result));
    assert.equal(results.filter((r) => r.status === 'completed').length, handles.length);
  } finally {
    for (const scheduler of schedulers) scheduler.dispose();
  }
  assert.equal(server.rejected, 0, 'no 429: the shared budget held every client back');
  assert.equal(server.successes.size, handles.length);
  assert.ok(
    [...server.successes.values()].every((n) => n === 1),
    'every request was answered once',
  );
  assertTrueTimeBound(server.arrivals);
}

describe('clients with skewed clocks sharing one budget', () => {
  let redis: RedisServer;
  let dir: string;
  before(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'pacer-skew-'));
  });
  after(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const coordinatorSkewMs of [0, 60_000]) {
    it(`through the local coordinator (its clock ${coordinatorSkewMs / 1000} s off): within the bound, no 429`, async () => {
      const skews = [coordinatorSkewMs, ...SKEWS_MS.filter((s) => s !== coordinatorSkewMs).slice(0, 3)];
      const socketPath = join(dir, `skew-${coordinatorSkewMs}.sock`);
      const budgets: LocalSharedBudget[] = [];
      try {
        // The first to bind keeps the store, on its own (skewed) clock.
        for (const skew of skews) {
          const budget = new LocalSharedBudget({ socketPath, clock: skewedClock(skew), timeoutMs: 1_000 });
          budgets.push(budget);
          await waitUntil(() => budget.role, {
            what: 'the window to be placed',
            isDone: (r) => r !== 'electing',
          });
        }
        assert.deepEqual(
          budgets.map((b) => b.role),
          ['coordinator', 'client', 'client', 'client'],
        );
        await runSkewed(budgets, skews);
      } finally {
        await Promise.all(budgets.map((b) => b.dispose()));
      }
    });
  }

  it('through Redis (its own time): within the bound, no 429', async () => {
    const skews = [5_000, -5_000, 60_000, -60_000];
    const budgets = skews.map(() => new RedisSharedBudget({ url: redis.url, keyPrefix: 'skew' }));
    try {
      await waitUntil(() => budgets.every((b) => b.health === 'up'), { what: 'four connections' });
      await runSkewed(budgets, skews);
    } finally {
      for (const b of budgets) b.dispose();
    }
  });
});
