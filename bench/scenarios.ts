import { parseSimulatorConfig, type SimulatorConfig } from '../sim/simulator';
import type { KnownLimits, MinuteLimits } from './types';
import type { JobGroup, WorkloadSpec } from './workload';

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
}

function mixed(count: number, models: readonly string[], interactiveShare = 0.15): JobGroup[] {
  const interactive = Math.round(count * interactiveShare);
  const spread = { kind: 'spread', fromMs: 0, toMs: 1_500 } as const;
  return [
    { count: interactive, lane: 'interactive', models, inputTokens: [200, 4_000], arrivals: spread },
    { count: count - interactive, lane: 'command', models, inputTokens: [200, 20_000], arrivals: spread },
  ];
}

const steady: WorkloadSpec = { seed: SEED, maxTokens: MAX_TOKENS, groups: mixed(200, [SONNET]) };

/** The seven scenarios of issue 7, in run order. */
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
      groups: [
        {
          count: 160,
          lane: 'background',
          models: [SONNET],
          inputTokens: [200, 20_000],
          arrivals: { kind: 'spread', fromMs: 0, toMs: 0 },
        },
        {
          count: 40,
          lane: 'interactive',
          models: [SONNET],
          inputTokens: [200, 4_000],
          arrivals: { kind: 'bursts', startMs: 300, everyMs: 350, size: 5 },
        },
      ],
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

/** The simulator configuration of a scenario. */
export function simConfigOf(s: Scenario): SimulatorConfig {
  const keys = keysOf(s);
  return parseSimulatorConfig({
    seed: SEED,
    burstWindowSec: WINDOW_SEC,
    reply: { minOutputTokens: REPLY_TOKENS, maxOutputTokens: REPLY_TOKENS, tokensPerSecond: 0 },
    organizations: keys.map((k, i) => ({ id: organizationId(i), keys: k, limits: { default: LIMITS } })),
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

/** What the developer configuring a peer knows: the keys, the published limits, the window. */
export function knownLimitsOf(s: Scenario): KnownLimits {
  return {
    organizations: keysOf(s),
    limitsByModel: Object.fromEntries(s.models.map((m) => [m, LIMITS])),
    windowSec: WINDOW_SEC,
  };
}
