import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Bottleneck from 'bottleneck';
import { LocalSharedBudget } from '../src/coordination/local/localSharedBudget';
import { RedisSharedBudget } from '../src/coordination/redis/redisSharedBudget';
import { createSystemClock, type SharedBudget } from '../src/pacer/index';
import { startRedisServer } from '../test/support/redisServer';
import type { Scenario } from './scenarios';
import { clientsFor, createMessage, estimateTokens, limitsFor } from './strategies/peerClients';
import { ours, oursWith } from './strategies/ours';
import type { RunningStrategy, Strategy, StrategyContext } from './types';

const SONNET = 'claude-sonnet-4-6';
const CLIENTS = 4;
const PER_CLIENT = 200;
/**
 * Real one-minute buckets (a shared store keeps a minute's burst, as the API does) with a request
 * limit just under the team's demand: 727 of the 800 requests fit the burst and the rest wait for
 * refill at 12 a second, so the lower bound is about 6 s and a client that ignores its teammates
 * overdraws by about 73 requests.
 */
const TEAM_LIMITS = {
  requestsPerMinute: 727,
  inputTokensPerMinute: 20_000_000,
  outputTokensPerMinute: 5_000_000,
};

/** Scenario 15: four teammates (or windows) on one organization, each with its own key and 200 requests. */
export const TEAM: Scenario = {
  name: 'team',
  title: `15. Team: ${CLIENTS} clients × ${PER_CLIENT} requests on one organization (a key each), 727 RPM in real one-minute buckets, all in 1.5 s`,
  organizations: 1,
  keysPerOrganization: CLIENTS,
  models: [SONNET],
  limits: TEAM_LIMITS,
  minuteSec: 60,
  maxDeadlineMs: 40_000,
  workload: {
    seed: 20_261_215,
    maxTokens: 64,
    groups: [
      {
        count: CLIENTS * PER_CLIENT,
        lane: 'command',
        models: [SONNET],
        inputTokens: [200, 4_000],
        arrivals: { kind: 'spread', fromMs: 0, toMs: 1_500 },
      },
    ],
  },
};

/** What one client of the team is: its strategy on its own key, and what to close after it. */
interface TeamSetup {
  readonly clients: ReadonlyArray<(ctx: StrategyContext) => Promise<RunningStrategy>>;
  readonly close: () => Promise<void>;
}

/** Client `index`'s context: the run's, with only its own key. */
function clientContext(ctx: StrategyContext, index: number): StrategyContext {
  const key = ctx.known.organizations.flat()[index];
  if (key === undefined) throw new Error(`no key for client ${index}`);
  return { ...ctx, known: { ...ctx.known, organizations: [[key]] } };
}

/** A team strategy: `CLIENTS` clients, job `id` going to client `id mod CLIENTS`. */
function team(name: string, describe: string, setUp: () => Promise<TeamSetup>): Strategy {
  return {
    name,
    needsLimits: true,
    describe,
    async start(ctx): Promise<RunningStrategy> {
      const setup = await setUp();
      // One after the other: bottleneck's first client clears the datastore the others then join.
      const clients: RunningStrategy[] = [];
      for (const [i, start] of setup.clients.entries()) clients.push(await start(clientContext(ctx, i)));
      return {
        submit: (job) => clients[job.id % CLIENTS]!.submit(job),
        close: async () => {
          await Promise.all(clients.map((c) => c.close()));
          await setup.close();
        },
      };
    },
  };
}

/** Ours in each client, leasing from `budgets[i]` once every budget answers. */
async function oursSharing(budgets: readonly SharedBudget[]): Promise<TeamSetup['clients']> {
  const deadline = Date.now() + 5_000;
  while (budgets.some((b) => b.health !== 'up')) {
    if (Date.now() > deadline) throw new Error('the shared budget did not answer within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return budgets.map((budget) => async (ctx) => oursWith({}, 'ours', budget).start(ctx));
}

/** Bottleneck's Redis cluster mode: one limiter id, so every client's limiter draws on one reservoir in Redis. */
function bottleneckClient(
  redisPort: number,
  index: number,
): (ctx: StrategyContext) => Promise<RunningStrategy> {
  return (ctx) => {
    const limits = limitsFor(ctx.known, SONNET);
    const clients = clientsFor(ctx);
    const stepMs = 250;
    const shared = (id: string, perMinute: number): Bottleneck =>
      new Bottleneck({
        id,
        datastore: 'ioredis',
        clientOptions: { host: '127.0.0.1', port: redisPort },
        // The first client starts the reservoir afresh; the others join it.
        clearDatastore: index === 0,
        reservoir: perMinute,
        reservoirIncreaseAmount: (perMinute / 60_000) * stepMs,
        reservoirIncreaseInterval: stepMs,
        reservoirIncreaseMaximum: perMinute,
        heartbeatInterval: stepMs,
      });
    const requests = shared('team-requests', limits.requestsPerMinute);
    const input = shared('team-input', limits.inputTokensPerMinute);
    const client = [...clients.values()][0]!;
    return Promise.all([requests.ready(), input.ready()]).then(() => ({
      submit: async (job) => {
        try {
          await requests.schedule({ weight: 1 }, () =>
            input.schedule({ weight: estimateTokens(job) }, () => createMessage(client, job, ctx.signal)),
          );
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        await Promise.all([requests, input].map((b) => b.disconnect(false).catch(() => undefined)));
      },
    }));
  };
}

/** The team scenario's four strategies: alone, shared by the windows of one machine, through Redis, and bottleneck's cluster. */
export const TEAM_STRATEGIES: readonly Strategy[] = [
  team(
    'independent',
    'Four `ours` schedulers, each on its own key and told the limits, sharing nothing: each learns the others only as unseen competitors.',
    () =>
      Promise.resolve({
        clients: Array.from({ length: CLIENTS }, () => (ctx) => Promise.resolve(ours.start(ctx))),
        close: () => Promise.resolve(),
      }),
  ),
  team(
    'shared-local',
    'Four `ours` schedulers leasing from the local coordinator (`LocalSharedBudget` over a Unix socket in a temp folder, in this process): the first keeps the budget, the others ask it.',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bench-team-'));
      const budgets = Array.from(
        { length: CLIENTS },
        () => new LocalSharedBudget({ socketPath: join(dir, 'budget.sock'), clock: createSystemClock() }),
      );
      return {
        clients: await oursSharing(budgets),
        close: async () => {
          await Promise.all(budgets.map((b) => b.dispose()));
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ),
  team(
    'shared-redis',
    'Four `ours` schedulers, each with its own ioredis connection (`RedisSharedBudget`) to a redis-server the bench starts on a loopback port.',
    async () => {
      const server = await startRedisServer();
      const budgets = Array.from({ length: CLIENTS }, () => new RedisSharedBudget({ url: server.url }));
      return {
        clients: await oursSharing(budgets),
        close: async () => {
          for (const b of budgets) b.dispose();
          await server.stop();
        },
      };
    },
  ),
  team(
    'bottleneck-cluster',
    "Bottleneck's Redis cluster mode (`datastore: 'ioredis'`, one `id` per limit, so the four clients draw on one reservoir each for requests and input tokens) told the limits: `reservoir` = the per-minute limit, refilled continuously by `reservoirIncreaseAmount` every 250 ms up to it; SDK defaults (2 retries) inside.",
    async () => {
      const server = await startRedisServer();
      return {
        clients: Array.from({ length: CLIENTS }, (_, i) => bottleneckClient(server.port, i)),
        close: () => server.stop(),
      };
    },
  ),
];
