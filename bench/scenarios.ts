import { windowSecOf } from '../sim/rateLimiter';
import { parseSimulatorConfig, type SimulatorConfig } from '../sim/simulator';
import type { KnownLimits, MinuteLimits } from './types';
import type { Arrivals, JobGroup, WorkloadSpec } from './workload';

/**
 * Limits scaled to seconds: the simulator enforces each per-minute limit over a WINDOW_SEC window
 * (burstWindowSec), so a bucket refills from empty to full in WINDOW_SEC seconds, as a real one does
 * in a minute. Refill is limit / 60 per second: 40 requests and about 133,000 input tokens per second.
 */
export const WINDOW_SEC = 2;
/** Per-minute limits of every organization and model class in the built-in scenarios. */
export const LIMITS: MinuteLimits = {
  requestsPerMinute: 2_400,
  inputTokensPerMinute: 8_000_000,
  outputTokensPerMinute: 3_000_000,
};
/** Output tokens of every reply (min = max), streamed at once. */
export const REPLY_TOKENS = 24;
const MAX_TOKENS = 64;
const SONNET = 'claude-sonnet-4-6';
const HAIKU = 'claude-haiku-4-5';
const SEED = 20_261_128;

/** One benchmark scenario: server topology and limits, a seeded workload, and events. */
export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly organizations: number;
  readonly keysPerOrganization: number;
  readonly models: readonly string[];
  /** Hidden competitor's share of the input-token refill of every organization. */
  readonly competitorInputShare?: number;
  /** When to empty every organization's buckets (sudden quota loss). */
  readonly drainAtMs?: number;
  readonly workload: WorkloadSpec;
  /** Per-minute limits of every organization and class. @default LIMITS */
  readonly limits?: MinuteLimits;
  /** Seconds of "one minute" as the developer is told it, and the simulator's burstWindowSec. @default WINDOW_SEC */
  readonly minuteSec?: number;
  /** Overrides of the simulator's burstWindowSec: the server's real enforcement. */
  readonly burstWindowSec?: number;
  readonly limiterWindowSec?: SimulatorConfig['limiterWindowSec'];
  /** Every key sits in a workspace with this total (input + output) tokens-per-minute limit. */
  readonly workspaceTotalTokensPerMinute?: number;
  /** Run the strategies at the same time, each on its own simulator: for long, light, real-time runs. */
  readonly concurrentStrategies?: boolean;
  /** Upper limit of the run's deadline. */
  readonly maxDeadlineMs?: number;
}

interface MixOptions {
  readonly interactiveShare?: number;
  readonly interactiveTokens?: readonly [number, number];
  readonly otherTokens?: readonly [number, number];
  readonly otherLane?: 'command' | 'background';
}

function mixed(count: number, models: readonly string[], options: MixOptions = {}): JobGroup[] {
  const interactive = Math.round(count * (options.interactiveShare ?? 0.15));
  const spread = { kind: 'spread', fromMs: 0, toMs: 1_500 } as const;
  const lane = options.otherLane ?? 'command';
  return [
    {
      count: interactive,
      lane: 'interactive',
      models,
      inputTokens: options.interactiveTokens ?? [200, 4_000],
      arrivals: spread,
    },
    {
      count: count - interactive,
      lane,
      models,
      inputTokens: options.otherTokens ?? [200, 20_000],
      arrivals: spread,
    },
  ];
}

/** `count` background Sonnet requests of 200-20,000 tokens, all at t = 0. */
function backlog(count: number): JobGroup {
  const atStart = { kind: 'spread', fromMs: 0, toMs: 0 } as const;
  return { count, lane: 'background', models: [SONNET], inputTokens: [200, 20_000], arrivals: atStart };
}

/** `count` interactive Sonnet requests of 200-4,000 tokens. */
function interactive(count: number, arrivals: Arrivals): JobGroup {
  return { count, lane: 'interactive', models: [SONNET], inputTokens: [200, 4_000], arrivals };
}

/** Real per-minute limits for `minute-real`: 3 requests and 4,000 input tokens per second. */
const MINUTE_REAL_LIMITS: MinuteLimits = {
  requestsPerMinute: 180,
  inputTokensPerMinute: 240_000,
  outputTokensPerMinute: 100_000,
};

const steady: WorkloadSpec = { seed: SEED, maxTokens: MAX_TOKENS, groups: mixed(200, [SONNET]) };

/** The seven scenarios of issue 7, then the four of issue 12 (short windows, backlogs, real minutes, total tokens). */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'steady',
    title: '1. Steady overload: 200 requests in 1.5 s, 200-20,000 input tokens, one key',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    workload: steady,
  },
  {
    name: 'bursty',
    title:
      '2. Bursty editor use: 40 interactive requests (bursts of 5) into a 160-request background backlog',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    workload: {
      seed: SEED + 2,
      maxTokens: MAX_TOKENS,
      groups: [backlog(160), interactive(40, { kind: 'bursts', startMs: 300, everyMs: 350, size: 5 })],
    },
  },
  {
    name: 'competitor',
    title: '3. Hidden competitor taking 25 % of the input-token refill (workload of 1)',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    competitorInputShare: 0.25,
    workload: steady,
  },
  {
    name: 'three-orgs',
    title: '4. Three keys in three organizations: 600 requests in 1.5 s',
    organizations: 3,
    keysPerOrganization: 1,
    models: [SONNET],
    workload: { seed: SEED + 4, maxTokens: MAX_TOKENS, groups: mixed(600, [SONNET]) },
  },
  {
    name: 'one-org-three-keys',
    title: '5. Three keys in one organization, one shared budget (workload of 1)',
    organizations: 1,
    keysPerOrganization: 3,
    models: [SONNET],
    workload: steady,
  },
  {
    name: 'quota-loss',
    title: "6. Sudden quota loss: the organization's buckets are emptied at 1.5 s (workload of 1)",
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    drainAtMs: 1_500,
    workload: steady,
  },
  {
    name: 'two-models',
    title: '7. Two model classes mixed (Sonnet 4.x and Haiku 4.5, own limits each): 400 requests in 1.5 s',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET, HAIKU],
    workload: { seed: SEED + 7, maxTokens: MAX_TOKENS, groups: mixed(400, [SONNET, HAIKU]) },
  },
  {
    name: 'short-window',
    title:
      '8. Short enforcement window: every limit enforced over 1/60 of the scaled minute (1 s of a real minute), headers per minute; 200 requests of 200-4,000 tokens',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    burstWindowSec: WINDOW_SEC / 60,
    workload: {
      seed: SEED + 8,
      maxTokens: MAX_TOKENS,
      // Every request fits the short burst of 4,444 input tokens.
      groups: mixed(200, [SONNET], { interactiveTokens: [200, 2_000], otherTokens: [200, 4_000] }),
    },
  },
  {
    name: 'short-window-orgs',
    title:
      '14. Short enforcement window in three organizations: every limit over 1/60 of the scaled minute, 600 requests, 90 % background',
    organizations: 3,
    keysPerOrganization: 1,
    models: [SONNET],
    burstWindowSec: WINDOW_SEC / 60,
    workload: {
      seed: SEED + 12,
      maxTokens: MAX_TOKENS,
      groups: mixed(600, [SONNET], {
        interactiveShare: 0.1,
        otherLane: 'background',
        interactiveTokens: [200, 2_000],
        otherTokens: [200, 4_000],
      }),
    },
  },
  {
    name: 'background-backlog',
    title: '9. Background backlog: 180 background requests at t = 0, 20 interactive ones spread over 4 s',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    workload: {
      seed: SEED + 9,
      maxTokens: MAX_TOKENS,
      groups: [backlog(180), interactive(20, { kind: 'spread', fromMs: 200, toMs: 4_000 })],
    },
  },
  {
    name: 'minute-real',
    title:
      '10. Real minutes: 60 s buckets, RPM enforced per second, 180 RPM / 240,000 ITPM; 90 requests in 1.5 s (strategies run side by side)',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    limits: MINUTE_REAL_LIMITS,
    minuteSec: 60,
    limiterWindowSec: { requests: 1 },
    concurrentStrategies: true,
    maxDeadlineMs: 85_000,
    workload: {
      seed: SEED + 10,
      maxTokens: MAX_TOKENS,
      groups: mixed(90, [SONNET], { otherTokens: [1_000, 12_000] }),
    },
  },
  {
    name: 'workspace-tokens',
    title:
      '11. Workspace total-token limit: 4,000,000 tokens per minute, shown only in tokens-*; 100 requests, 90 % background',
    organizations: 1,
    keysPerOrganization: 1,
    models: [SONNET],
    workspaceTotalTokensPerMinute: 4_000_000,
    workload: {
      seed: SEED + 11,
      maxTokens: MAX_TOKENS,
      groups: mixed(100, [SONNET], { interactiveShare: 0.1, otherLane: 'background' }),
    },
  },
];

/** Organization id number `i` (0-based). */
export function organizationId(i: number): string {
  return `be0c0000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
}

/** Keys grouped by organization. */
export function keysOf(s: Scenario): string[][] {
  return Array.from({ length: s.organizations }, (_, o) =>
    Array.from({ length: s.keysPerOrganization }, (_, k) => `sk-ant-sim-bench-o${o + 1}-k${k + 1}`),
  );
}

/** Workspace id of organization `i` (0-based), for scenarios whose keys sit in a workspace. */
export function workspaceId(i: number): string {
  return `wrkspc_bench${i + 1}`;
}

function organizationOf(s: Scenario, keys: readonly string[], i: number): Record<string, unknown> {
  const org = { id: organizationId(i), limits: { default: s.limits ?? LIMITS } };
  const total = s.workspaceTotalTokensPerMinute;
  if (total === undefined) return { ...org, keys };
  return {
    ...org,
    keys: [],
    workspaces: [{ id: workspaceId(i), keys, limits: { default: { totalTokensPerMinute: total } } }],
  };
}

/** The simulator configuration of a scenario. */
export function simConfigOf(s: Scenario): SimulatorConfig {
  const keys = keysOf(s);
  return parseSimulatorConfig({
    seed: SEED,
    burstWindowSec: s.burstWindowSec ?? s.minuteSec ?? WINDOW_SEC,
    limiterWindowSec: s.limiterWindowSec ?? {},
    reply: { minOutputTokens: REPLY_TOKENS, maxOutputTokens: REPLY_TOKENS, tokensPerSecond: 0 },
    organizations: keys.map((k, i) => organizationOf(s, k, i)),
    competitors:
      s.competitorInputShare === undefined
        ? []
        : keys.flatMap((_, i) =>
            ['sonnet-4', 'haiku-4-5'].map((modelClass) => ({
              organization: organizationId(i),
              modelClass,
              share: { input: s.competitorInputShare },
            })),
          ),
  });
}

/** What the developer configuring a peer knows: the keys, the published limits, the window; and the exact enforcement. */
export function knownLimitsOf(s: Scenario): KnownLimits {
  const config = simConfigOf(s);
  const total = s.workspaceTotalTokensPerMinute;
  return {
    organizations: keysOf(s),
    limitsByModel: Object.fromEntries(s.models.map((m) => [m, s.limits ?? LIMITS])),
    windowSec: s.minuteSec ?? WINDOW_SEC,
    exact: {
      windowSec: {
        requests: windowSecOf(config, 'requests'),
        input: windowSecOf(config, 'input'),
        output: windowSecOf(config, 'output'),
        tokens: windowSecOf(config, 'tokens'),
      },
      ...(total !== undefined ? { totalTokensPerMinute: total } : {}),
    },
  };
}

/** A tenth of `scenario`'s workload, run once before the measured runs so none pays for loading code. */
export function warmUpOf(scenario: Scenario): Scenario {
  return {
    ...scenario,
    name: `${scenario.name} (warm-up)`,
    workload: {
      ...scenario.workload,
      groups: scenario.workload.groups.map((g) => ({ ...g, count: Math.max(1, Math.round(g.count / 10)) })),
    },
  };
}
