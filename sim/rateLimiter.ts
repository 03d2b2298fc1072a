import { EPSILON, TokenBucket } from './buckets';
import type {
  CompetitorShare,
  ModelClassConfig,
  OrganizationConfig,
  SimulatorConfig,
  WorkspaceConfig,
  WorkspaceLimits,
} from './config';
import { organizationLimits, workspaceLimits } from './modelClasses';

/** The three Messages limiters every organization has, in the order they are checked. */
export const limiters = ['requests', 'input', 'output'] as const;

/** One of the three Messages limiters every organization has. */
export type Limiter = (typeof limiters)[number];

/** Every limiter that may refuse a Messages request: the three, then a workspace's total-token limit. */
export const checkedLimiters = [...limiters, 'tokens'] as const;

/** A limiter that may refuse a request; `tokens` draws input + output and exists only for workspaces that set it. */
export type AnyLimiter = (typeof checkedLimiters)[number];

/** Seconds of refill a limiter's bucket holds: its own window if configured, else burstWindowSec. */
export function windowSecOf(config: SimulatorConfig, limiter: AnyLimiter): number {
  return config.limiterWindowSec[limiter] ?? config.burstWindowSec;
}

/** Whose buckets a request draws on: its organization's and, for a workspace key, the workspace's. */
export interface LimitTarget {
  readonly org: OrganizationConfig;
  readonly workspace?: WorkspaceConfig;
  readonly cls: ModelClassConfig;
}

/** Why a request was refused. */
export interface Rejection {
  readonly limiter: AnyLimiter;
  readonly scope: 'organization' | 'workspace';
  readonly scopeId: string;
  readonly limit: number;
  readonly retryAfterSec: number;
}

/** What a request costs at admission. `output` is the reservation (legacy regime) or 0 (real-time regime). */
export interface AdmissionCost {
  readonly input: number;
  readonly output: number;
}

// The count_tokens pool's pseudo class id: empty, which no validated model id can be.
const COUNT_TOKENS = '';

function bucketKey(scopeId: string, classId: string, limiter: AnyLimiter): string {
  return JSON.stringify([scopeId, classId, limiter]);
}

const limitField = {
  requests: 'requestsPerMinute',
  input: 'inputTokensPerMinute',
  output: 'outputTokensPerMinute',
  tokens: 'totalTokensPerMinute',
} as const satisfies Record<AnyLimiter, keyof WorkspaceLimits>;

/** One bucket a limiter of a request draws on. */
export interface ScopedBucket {
  readonly scope: 'organization' | 'workspace';
  readonly scopeId: string;
  readonly bucket: TokenBucket;
}

/** Every rate-limit bucket of the simulator, created full on first use. */
export class RateLimiter {
  readonly #config: SimulatorConfig;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #competitors = new Map<string, CompetitorShare>();

  constructor(config: SimulatorConfig) {
    this.#config = config;
    for (const c of config.competitors)
      this.#competitors.set(JSON.stringify([c.organization, c.modelClass]), c.share);
  }

  /** The buckets a limiter of `target` draws on, workspace first (it is usually the tighter). */
  buckets(target: LimitTarget, limiter: AnyLimiter, nowMs: number): ScopedBucket[] {
    const out: ScopedBucket[] = [];
    if (target.workspace) {
      const limit = workspaceLimits(target.workspace, target.cls.id)[limitField[limiter]];
      if (limit !== undefined) {
        out.push({
          scope: 'workspace',
          scopeId: target.workspace.id,
          bucket: this.#bucket(target.workspace.id, target.cls.id, limiter, limit, nowMs),
        });
      }
    }
    if (limiter === 'tokens') return out;
    const limit = organizationLimits(target.org, target.cls)[limitField[limiter]];
    out.push({
      scope: 'organization',
      scopeId: target.org.id,
      bucket: this.#bucket(target.org.id, target.cls.id, limiter, limit, nowMs),
    });
    return out;
  }

  /** The first limiter that refuses `cost` (order requests → input → output → tokens), or undefined to admit. */
  check(target: LimitTarget, cost: AdmissionCost, nowMs: number): Rejection | undefined {
    const neededBy: Record<AnyLimiter, number> = {
      requests: 1,
      input: cost.input,
      output: cost.output,
      tokens: cost.input + cost.output,
    };
    for (const limiter of checkedLimiters) {
      for (const { scope, scopeId, bucket } of this.buckets(target, limiter, nowMs)) {
        const level = bucket.levelAt(nowMs);
        const needed = neededBy[limiter];
        // Real-time OTPM admits on any positive level; otherwise the whole cost must fit now. Output may
        // drive a total-token bucket negative too, so it also needs a positive level.
        const realtimeOutput = limiter === 'output' && this.#config.otpmRegime === 'realtime';
        const isPositive = level > EPSILON;
        const fits = realtimeOutput
          ? isPositive
          : level + EPSILON >= needed && (limiter !== 'tokens' || isPositive);
        if (fits) continue;
        const deficit = (realtimeOutput ? 0 : needed) - level;
        const retryAfterSec = Math.max(1, Math.ceil(deficit / bucket.ratePerSec - EPSILON));
        return { limiter, scope, scopeId, limit: bucket.limit, retryAfterSec };
      }
    }
    return undefined;
  }

  /** Debits `amount` from every bucket of one limiter of `target`; input and output also draw on total-token buckets. */
  debit(target: LimitTarget, limiter: Limiter, amount: number, nowMs: number): void {
    for (const { bucket } of this.#drawnOn(target, limiter, nowMs)) bucket.debit(amount, nowMs);
  }

  /** Returns `amount` to every bucket `debit` took it from, up to capacity. */
  refund(target: LimitTarget, limiter: Limiter, amount: number, nowMs: number): void {
    for (const { bucket } of this.#drawnOn(target, limiter, nowMs)) bucket.refund(amount, nowMs);
  }

  /** The bucket reported in headers: the lowest level among those that apply (the most restrictive). */
  reported(target: LimitTarget, limiter: Limiter, nowMs: number): TokenBucket {
    return this.#lowest(this.buckets(target, limiter, nowMs), nowMs)!;
  }

  /** The total-token bucket a workspace key draws on, if its workspace sets that limit. */
  reportedTokens(target: LimitTarget, nowMs: number): TokenBucket | undefined {
    return this.#lowest(this.buckets(target, 'tokens', nowMs), nowMs);
  }

  /** The separate count_tokens requests bucket of an organization. */
  countTokensBucket(org: OrganizationConfig, nowMs: number): TokenBucket {
    return this.#bucket(org.id, COUNT_TOKENS, 'requests', org.countTokensRequestsPerMinute, nowMs);
  }

  /** Empties the organization's Messages buckets of one class (created full first if new): sudden quota loss. */
  drain(target: LimitTarget, nowMs: number): void {
    for (const limiter of limiters) {
      for (const { scope, bucket } of this.buckets(target, limiter, nowMs))
        if (scope === 'organization') bucket.drain(nowMs);
    }
  }

  /** Ids of the classes that already have buckets for `orgId`. */
  classesInUse(orgId: string): string[] {
    const ids = new Set<string>();
    for (const key of this.#buckets.keys()) {
      const [scope, cls] = JSON.parse(key) as [string, string, Limiter];
      if (scope === orgId && cls !== COUNT_TOKENS) ids.add(cls);
    }
    return [...ids];
  }

  /** Sets a hidden competitor's share on an organization's buckets of one class. */
  setCompetitor(orgId: string, classId: string, share: CompetitorShare, nowMs: number): void {
    this.#competitors.set(JSON.stringify([orgId, classId]), share);
    for (const limiter of limiters)
      this.#buckets.get(bucketKey(orgId, classId, limiter))?.setCompetitorShare(share[limiter], nowMs);
  }

  #drawnOn(target: LimitTarget, limiter: Limiter, nowMs: number): ScopedBucket[] {
    const own = this.buckets(target, limiter, nowMs);
    return limiter === 'requests' ? own : [...own, ...this.buckets(target, 'tokens', nowMs)];
  }

  #lowest(all: readonly ScopedBucket[], nowMs: number): TokenBucket | undefined {
    if (all.length === 0) return undefined;
    return all.reduce((a, b) => (b.bucket.levelAt(nowMs) < a.bucket.levelAt(nowMs) ? b : a)).bucket;
  }

  #bucket(scopeId: string, classId: string, limiter: AnyLimiter, limit: number, nowMs: number): TokenBucket {
    const key = bucketKey(scopeId, classId, limiter);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      // The count_tokens pool keeps burstWindowSec: the per-limiter windows describe the Messages limiters.
      const windowSec =
        classId === COUNT_TOKENS ? this.#config.burstWindowSec : windowSecOf(this.#config, limiter);
      bucket = new TokenBucket(limit, windowSec, nowMs);
      const share = this.#competitors.get(JSON.stringify([scopeId, classId]));
      if (share && limiter !== 'tokens') bucket.setCompetitorShare(share[limiter], nowMs);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
