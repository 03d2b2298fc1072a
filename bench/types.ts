/** Shared shapes of the peer benchmark: jobs, what each strategy knows, and what a run records. */
import type { Lane } from '../src/pacer/index';

/** One request of a seeded workload. */
export interface BenchJob {
  readonly id: number;
  readonly lane: Lane;
  readonly model: string;
  readonly maxTokens: number;
  /** The whole user message; ~4 characters per token. */
  readonly prompt: string;
  /** Input tokens as the simulator counts them (chars / 4, rounded up). */
  readonly inputTokens: number;
  /** Offset from the start of the run at which the job is submitted. */
  readonly arriveAtMs: number;
}

/** Per-minute limits of one (organization, model class), as published to the developer. */
export interface MinuteLimits {
  readonly requestsPerMinute: number;
  readonly inputTokensPerMinute: number;
  readonly outputTokensPerMinute: number;
}

/** What a careful developer may also know: each limiter's enforcement window, and a total-token limit. */
export interface ExactLimits {
  /** Seconds of refill each of the server's buckets holds (its burst), per limiter. */
  readonly windowSec: {
    readonly requests: number;
    readonly input: number;
    readonly output: number;
    readonly tokens: number;
  };
  /** A workspace's total (input + output) tokens per minute, when one applies to the keys. */
  readonly totalTokensPerMinute?: number;
}

/** What a developer configuring a peer knows: keys per organization, limits per model, the window. */
export interface KnownLimits {
  /** Keys grouped by organization (keys of one organization share its limits). */
  readonly organizations: readonly (readonly string[])[];
  /** Limits per model id; every organization has the same. Undefined: unknown (learn them). */
  readonly limitsByModel?: Readonly<Record<string, MinuteLimits>>;
  /** Seconds in which the server's bucket refills from empty to full: "one minute", scaled. */
  readonly windowSec: number;
  /** The exact enforcement, for the one peer told it (`bottleneck-exact`); undefined in external runs. */
  readonly exact?: ExactLimits;
}

/** Everything a strategy gets to run a workload. */
export interface StrategyContext {
  readonly baseUrl: string;
  readonly known: KnownLimits;
  readonly attempts: AttemptSink;
  /** Fired at the run's deadline: stop sending, abort what is in flight. */
  readonly signal: AbortSignal;
  readonly random: () => number;
}

/** A strategy ready to take jobs. `submit` resolves true when the job completed, false when it failed. */
export interface RunningStrategy {
  submit(job: BenchJob): Promise<boolean>;
  close(): Promise<void>;
}

/** A strategy under test. */
export interface Strategy {
  /** A StrategyName, or a variant's name such as `ours (16 in flight)`. */
  readonly name: string;
  /** True when it cannot run without the published limits (the peers). */
  readonly needsLimits: boolean;
  /** One line for the docs: how it is configured. */
  readonly describe: string;
  start(ctx: StrategyContext): RunningStrategy | Promise<RunningStrategy>;
}

/** Strategy names as used on the command line. */
export type StrategyName = 'ours' | 'sdk-defaults' | 'p-queue' | 'bottleneck' | 'bottleneck-exact' | 'guide';

/** One HTTP attempt as the client saw it. `status` 0 = no HTTP status (network, mid-stream error). */
export interface AttemptRecord {
  readonly startMs: number;
  endMs?: number;
  status?: number;
}

/** Where strategies report each HTTP attempt they make for a job. */
export interface AttemptSink {
  /** Notes an attempt starting now; call the returned function with its status when it ends. */
  begin(jobId: number): (status: number) => void;
  /** A `fetch` for SDK clients that records each attempt whose request carries the job header. */
  readonly fetch: typeof fetch;
}
