import { UsageError, type BenchArgs } from './args';
import { runStrategy } from './harness';
import { figuresOf, type Spread } from './metrics';
import type { KnownLimits, Strategy } from './types';
import { makeJobs } from './workload';

/** The one JSON line the external-target mode prints. */
export interface ExternalResult {
  readonly strategy: string;
  readonly completed: number;
  /** Failed, plus anything still unfinished at the deadline. */
  readonly failed: number;
  readonly status429: number;
  readonly status529: number;
  readonly makespanMs: number;
  readonly latencyMs: { readonly interactive: Spread; readonly background: Spread };
}

/**
 * Runs one strategy against any Anthropic-compatible endpoint: `requests` jobs submitted at once,
 * `interactiveShare` of them interactive (the rest background), mixed in a seeded order. All keys
 * are taken as one organization. 429/529 are counted client-side, per HTTP attempt.
 */
export async function runExternal(args: BenchArgs, strategy: Strategy): Promise<ExternalResult> {
  const interactive = Math.round(args.requests * args.interactiveShare);
  const at0 = { kind: 'spread', fromMs: 0, toMs: 0 } as const;
  const jobs = makeJobs({
    seed: args.seed,
    maxTokens: args.maxTokens,
    interleave: true,
    groups: [
      {
        count: interactive,
        lane: 'interactive',
        models: [args.model],
        inputTokens: args.inputTokens,
        arrivals: at0,
      },
      {
        count: args.requests - interactive,
        lane: 'background',
        models: [args.model],
        inputTokens: args.inputTokens,
        arrivals: at0,
      },
    ],
  });
  const limits =
    args.rpm !== undefined && args.itpm !== undefined && args.otpm !== undefined
      ? { requestsPerMinute: args.rpm, inputTokensPerMinute: args.itpm, outputTokensPerMinute: args.otpm }
      : undefined;
  if (!limits && strategy.needsLimits)
    throw new UsageError(`--strategy ${strategy.name} needs the published limits: --rpm, --itpm and --otpm`);
  const known: KnownLimits = {
    organizations: [args.keys],
    ...(limits ? { limitsByModel: { [args.model]: limits } } : {}),
    windowSec: args.windowSec,
  };
  const run = await runStrategy(strategy, {
    baseUrl: args.baseUrl!,
    jobs,
    known,
    deadlineMs: args.deadlineSec * 1000,
    seed: args.seed,
  });
  const f = figuresOf(run);
  return {
    strategy: strategy.name,
    completed: f.completed,
    failed: f.failed + f.unfinished,
    status429: f.status429,
    status529: f.status529,
    makespanMs: f.makespanMs,
    latencyMs: f.latencyMs,
  };
}
