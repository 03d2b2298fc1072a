import type { Fault } from './faultSpec';

/** Requests, input tokens and output tokens allowed per minute for one model class. */
export interface ClassLimits {
  readonly requestsPerMinute: number;
  readonly inputTokensPerMinute: number;
  readonly outputTokensPerMinute: number;
}

/** Limits keyed by model-class id; the key `default` applies to classes not listed. Entries may be partial. */
export type LimitsByClass = Readonly<Record<string, Partial<ClassLimits>>>;

/** A model class: model ids that share one set of buckets, and the class's default limits. */
export interface ModelClassConfig {
  readonly id: string;
  /** Exact model ids, or prefixes ending in `*`. */
  readonly models: readonly string[];
  /** Whether cache_read_input_tokens count toward ITPM (the † classes, e.g. Haiku 3.5). */
  readonly countsCacheReads: boolean;
  readonly limits: ClassLimits;
}

/** A workspace's limits for one class: the three of an organization plus a total (input + output) token limit. */
export interface WorkspaceLimits extends ClassLimits {
  /** Input + output tokens per minute, drawn from one more bucket and reported only in `tokens-*` (spec §10). */
  readonly totalTokensPerMinute: number;
}

/** Workspace limits keyed by model-class id, `default` for classes not listed. Entries may be partial. */
export type WorkspaceLimitsByClass = Readonly<Record<string, Partial<WorkspaceLimits>>>;

/** A workspace inside an organization; its limits only lower the organization's (both apply). */
export interface WorkspaceConfig {
  readonly id: string;
  readonly keys: readonly string[];
  readonly limits: WorkspaceLimitsByClass;
}

/** An organization: its keys, its own limit overrides and its workspaces. */
export interface OrganizationConfig {
  /** UUID-like id, sent as `anthropic-organization-id`. */
  readonly id: string;
  readonly keys: readonly string[];
  /** Overrides of the model-class limits; `default` overrides every class. */
  readonly limits: LimitsByClass;
  /** RPM of the separate /v1/messages/count_tokens pool. @default 5000 */
  readonly countTokensRequestsPerMinute: number;
  readonly workspaces: readonly WorkspaceConfig[];
}

/** How input tokens are counted from prompt text. */
export type TokenizerConfig =
  | { readonly rule: 'chars'; readonly charsPerToken: number }
  | { readonly rule: 'words'; readonly tokensPerWord: number };

/** Shape and pace of the generated replies. */
export interface ReplyConfig {
  /** @default 20 */
  readonly minOutputTokens: number;
  /** Replies longer than max_tokens are cut and end with stop_reason max_tokens. @default 200 */
  readonly maxOutputTokens: number;
  /** Generation pace on the simulator's clock; 0 = as fast as possible. @default 0 */
  readonly tokensPerSecond: number;
  /** Clock seconds between extra `ping` events while streaming. @default 10 */
  readonly pingIntervalSec: number;
  /**
   * What a question's reply looks like: `words` (a seeded word stream, the statistical shape the
   * benchmark and older tests use) or `shaped` (heading, prose, list and a fenced code block, as a
   * real answer). Edit commands always get their code back in one fenced block. @default "words"
   */
  readonly style: ReplyStyle;
}

/** Reply styles for questions (see {@link ReplyConfig.style}). */
export type ReplyStyle = 'words' | 'shaped';

/** Headers sent with a 529 (unknown in the real API, spec §3.2). */
export interface OverloadedConfig {
  /** `x-should-retry` value, or null to omit it. @default true */
  readonly shouldRetry: boolean | null;
  /** `retry-after` seconds, or null to omit it. @default null */
  readonly retryAfterSec: number | null;
}

/** Share (0 ≤ share < 1) of each bucket's refill consumed by a hidden competitor. */
export interface CompetitorShare {
  readonly requests: number;
  readonly input: number;
  readonly output: number;
}

/** A hidden competitor on one organization's buckets of one model class. */
export interface CompetitorConfig {
  readonly organization: string;
  readonly modelClass: string;
  readonly share: CompetitorShare;
}

/** A limiter whose enforcement window can be set on its own (`tokens` is a workspace's total-token limit). */
export type WindowedLimiter = 'requests' | 'input' | 'output' | 'tokens';

/** Wire details that real traffic shows and a client must survive (spec §10); all off by default. */
export interface RealismConfig {
  /** Leave `anthropic-organization-id` off every response. @default false */
  readonly omitOrganizationId: boolean;
  /**
   * 429 message of the rate limiters: `named` (2026 wording naming the limit), or a real wording that names
   * no dimension: `rate_limited` ("Rate limited"), `error` ("Error"), `request_tokens` (the 2024 "Number of
   * request tokens has exceeded your per-minute rate limit…", said of any limiter). @default "named"
   */
  readonly rateLimitWording: 'named' | 'rate_limited' | 'error' | 'request_tokens';
  /** Leave `retry-after` off rate-limiter 429s. @default false */
  readonly omitRetryAfter: boolean;
}

/** One scripted tool call: the tool's name and the input the reply gives it. */
export interface ScriptedToolUse {
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** One scripted reply: optional text first, then the tool calls (none: the run's final answer). */
export interface ScriptStep {
  readonly text?: string;
  readonly toolUses: readonly ScriptedToolUse[];
}

/**
 * A scripted agent conversation. A request that offers `tools` and whose first user message
 * contains `match` (any request with tools when `match` is absent) gets step N as its reply, N being
 * the number of user turns carrying a `tool_result` so far; past the end the last step repeats.
 */
export interface ReplyScript {
  readonly match?: string;
  readonly steps: readonly ScriptStep[];
}

/** The whole simulator configuration, as returned by parseSimulatorConfig (defaults filled in). */
export interface SimulatorConfig {
  /** Seeds replies, probabilistic faults and ids. @default 1 */
  readonly seed: number;
  /** Bodies larger than this get 413 request_too_large. @default 33554432 (32 MiB) */
  readonly maxBodyBytes: number;
  /** OTPM accounting: `realtime` debits as generated, `legacy` reserves max_tokens. @default "realtime" */
  readonly otpmRegime: 'realtime' | 'legacy';
  /** Bucket capacity is limit × burstWindowSec / 60. @default 60 */
  readonly burstWindowSec: number;
  /** Per-limiter overrides of burstWindowSec, e.g. `{ requests: 1 }`: RPM enforced per second. @default {} */
  readonly limiterWindowSec: Readonly<Partial<Record<WindowedLimiter, number>>>;
  readonly realism: RealismConfig;
  /** @default { rule: "chars", charsPerToken: 4 } */
  readonly tokenizer: TokenizerConfig;
  /** Prompt-cache entry lifetime for `cache_control` without `ttl: "1h"`. @default 300 */
  readonly cacheTtlSec: number;
  readonly reply: ReplyConfig;
  readonly overloaded: OverloadedConfig;
  /** Ordered: the first class with a matching pattern wins; unmatched models form a class of their own. */
  readonly modelClasses: readonly ModelClassConfig[];
  /** Limits of a class formed by an unknown model. */
  readonly unknownModelLimits: ClassLimits;
  readonly organizations: readonly OrganizationConfig[];
  readonly faults: readonly Fault[];
  readonly competitors: readonly CompetitorConfig[];
  /** Scripted tool-use replies for agent runs; the first script that matches wins. @default [] */
  readonly scripts: readonly ReplyScript[];
}

const standard: ClassLimits = {
  requestsPerMinute: 1000,
  inputTokensPerMinute: 2_000_000,
  outputTokensPerMinute: 400_000,
};

/** The 2026 model-class table (Start tier limits, spec §1.7). */
export const defaultModelClasses: readonly ModelClassConfig[] = [
  {
    id: 'opus-4',
    models: ['claude-opus-4-5*', 'claude-opus-4-6*', 'claude-opus-4-7*', 'claude-opus-4-8*'],
    countsCacheReads: false,
    limits: standard,
  },
  {
    id: 'sonnet-4',
    models: ['claude-sonnet-4-5*', 'claude-sonnet-4-6*'],
    countsCacheReads: false,
    limits: standard,
  },
  { id: 'opus-5', models: ['claude-opus-5', 'claude-opus-5-20*'], countsCacheReads: false, limits: standard },
  {
    id: 'sonnet-5',
    models: ['claude-sonnet-5', 'claude-sonnet-5-20*'],
    countsCacheReads: false,
    limits: standard,
  },
  { id: 'haiku-4-5', models: ['claude-haiku-4-5*'], countsCacheReads: false, limits: standard },
  {
    id: 'haiku-3-5',
    models: ['claude-3-5-haiku*'],
    countsCacheReads: true,
    limits: { requestsPerMinute: 1000, inputTokensPerMinute: 100_000, outputTokensPerMinute: 20_000 },
  },
  {
    id: 'fable-5',
    models: ['claude-fable-5', 'claude-fable-5-20*'],
    countsCacheReads: false,
    limits: { requestsPerMinute: 1000, inputTokensPerMinute: 500_000, outputTokensPerMinute: 100_000 },
  },
];

/** Default values of every optional top-level setting. */
export const configDefaults = {
  seed: 1,
  maxBodyBytes: 32 * 1024 * 1024,
  otpmRegime: 'realtime',
  burstWindowSec: 60,
  limiterWindowSec: {},
  realism: { omitOrganizationId: false, rateLimitWording: 'named', omitRetryAfter: false },
  tokenizer: { rule: 'chars', charsPerToken: 4 },
  cacheTtlSec: 300,
  reply: {
    minOutputTokens: 20,
    maxOutputTokens: 200,
    tokensPerSecond: 0,
    pingIntervalSec: 10,
    style: 'words',
  },
  overloaded: { shouldRetry: true, retryAfterSec: null },
  unknownModelLimits: standard,
  countTokensRequestsPerMinute: 5000,
} as const satisfies Partial<Record<keyof SimulatorConfig | 'countTokensRequestsPerMinute', unknown>>;
