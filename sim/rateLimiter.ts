import { EPSILON, TokenBucket } from './buckets';
import type {
  ClassLimits,
  CompetitorShare,
  ModelClassConfig,
  OrganizationConfig,
  SimulatorConfig,
  WorkspaceConfig,
} from './config';
import { organizationLimits, workspaceLimits } from './modelClasses';

/** The three Messages limiters, in the order they are checked. */
export const limiters = ['requests', 'input', 'output'] as const;

/** One Messages limiter. */
export type Limiter = (typeof limiters)[number];

/** Whose buckets a request draws on: its organization's and, for a workspace key, the workspace's. */
export interface LimitTarget {
  readonly org: OrganizationConfig;
  readonly workspace?: WorkspaceConfig;
  readonly cls: ModelClassConfig;
}

/** Why a request was refused. */
export interface Rejection {
  readonly limiter: Limiter;
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

function bucketKey(scopeId: string, classId: string, limiter: Limiter): string {
  return JSON.stringify([scopeId, classId, limiter]);
}

const limitField: Record<Limiter, keyof ClassLimits> = {
  requests: 'requestsPerMinute',
  input: 'inputTokensPerMinute',
  output: 'outputTokensPerMinute',
};

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
  buckets(
    target: LimitTarget,
    limiter: Limiter,
    nowMs: number,
  ): { scope: 'organization' | 'workspace'; scopeId: string; bucket: TokenBucket }[] {
    const out: { scope: 'organization' | 'workspace'; scopeId: string; bucket: TokenBucket }[] = [];
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
    const limit = organizationLimits(target.org, target.cls)[limitField[limiter]];
    out.push({
      scope: 'organization',
      scopeId: target.org.id,
      bucket: this.#bucket(target.org.id, target.cls.id, limiter, limit, nowMs),
    });
    return out;
  }

  /** The first limiter that refuses `cost` (order requests → input → output), or undefined to admit. */
  check(target: LimitTarget, cost: AdmissionCost, nowMs: number): Rejection | undefined {
    for (const limiter of limiters) {
      for (const { scope, scopeId, bucket } of this.buckets(target, limiter, nowMs)) {
        const level = bucket.levelAt(nowMs);
        const needed = limiter === 'requests' ? 1 : limiter === 'input' ? cost.input : cost.output;
        // Real-time OTPM admits on any positive level; otherwise the whole cost must fit now.
        const realtimeOutput = limiter === 'output' && this.#config.otpmRegime === 'realtime';
        const fits = realtimeOutput ? level > EPSILON : level + EPSILON >= needed;
        if (fits) continue;
        const deficit = (realtimeOutput ? 0 : needed) - level;
        const retryAfterSec = Math.max(1, Math.ceil(deficit / bucket.ratePerSec - EPSILON));
        return { limiter, scope, scopeId, limit: bucket.limit, retryAfterSec };
      }
    }
    return undefined;
  }

  /** Debits `amount` from every bucket of one limiter of `target`. */
  debit(target: LimitTarget, limiter: Limiter, amount: number, nowMs: number): void {
    for (const { bucket } of this.buckets(target, limiter, nowMs)) bucket.debit(amount, nowMs);
  }

  /** Returns `amount` to every bucket of one limiter of `target`, up to capacity. */
  refund(target: LimitTarget, limiter: Limiter, amount: number, nowMs: number): void {
    for (const { bucket } of this.buckets(target, limiter, nowMs)) bucket.refund(amount, nowMs);
  }

  /** The bucket reported in headers: the lowest level among those that apply (the most restrictive). */
  reported(target: LimitTarget, limiter: Limiter, nowMs: number): TokenBucket {
    const all = this.buckets(target, limiter, nowMs);
    return all.reduce((a, b) => (b.bucket.levelAt(nowMs) < a.bucket.levelAt(nowMs) ? b : a)).bucket;
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

  #bucket(scopeId: string, classId: string, limiter: Limiter, limit: number, nowMs: number): TokenBucket {
    const key = bucketKey(scopeId, classId, limiter);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(limit, this.#config.burstWindowSec, nowMs);
      const share = this.#competitors.get(JSON.stringify([scopeId, classId]));
      if (share) bucket.setCompetitorShare(share[limiter], nowMs);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
