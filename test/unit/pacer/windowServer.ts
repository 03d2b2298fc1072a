import type { ManualClock } from '../../support/manualClock';
import type { Attempt, AttemptOutcome, Transport } from '../../../src/pacer/transport';
import { failure, headers, success, usage } from './scriptedTransport';

/** Per-minute limits the headers show. */
export interface MinuteLimits {
  readonly requests: number;
  readonly input: number;
}

/** How the server enforces them: the burst as a share of the minute, and an unseen client's share of the refill. */
export interface Enforcement {
  /** Capacity = limit × windowShare (1/60: "60 RPM as 1 per second"; 1: the whole minute). */
  readonly windowShare: number;
  /** Share (0–0.5) of every refill an unseen client takes. */
  readonly competitorShare: number;
  readonly latencyMs: number;
  /** Another client sending single requests at random (Poisson) times, which take a request when one is free. */
  readonly burstyOther?: { readonly requestsPerSecond: number; readonly random: () => number };
  /** The request reaches the server only after the latency and is answered at once, so its reading is fresh (default: counted on sending, answered after the latency). */
  readonly isReadingFresh?: boolean;
  /** The server's own token count for a prompt of this many characters (default: one per character, told to the pacer). */
  readonly countTokens?: (characters: number) => number;
}

interface Bucket {
  level: number;
  readonly capacity: number;
  readonly ratePerMs: number;
}

/**
 * An Anthropic-like server written apart from the pacer: a bucket per limit of capacity
 * limit × windowShare refilling limit/60 per second less the competitor's share; headers show the
 * per-minute limit, `remaining` floored (requests) or rounded to a thousand (tokens) after the
 * debit, `-reset` when full, truncated to the second; a 429 says `retry-after` in whole seconds
 * until this request fits, and consumes nothing.
 */
export class WindowServer implements Transport {
  /** Send times of the requests it admitted. */
  readonly admittedAtMs: number[] = [];
  rejected = 0;
  /** Requests of the bursty other client admitted. */
  othersAdmitted = 0;
  #otherNextMs = Number.POSITIVE_INFINITY;
  readonly #requests: Bucket;
  readonly #input: Bucket;
  #atMs: number;

  constructor(
    private readonly clock: ManualClock,
    private readonly limits: MinuteLimits,
    private readonly enforcement: Enforcement,
    private readonly organizationId = 'org-1',
  ) {
    const bucket = (limit: number): Bucket => ({
      level: limit * enforcement.windowShare,
      capacity: limit * enforcement.windowShare,
      ratePerMs: (limit / 60_000) * (1 - enforcement.competitorShare),
    });
    this.#requests = bucket(limits.requests);
    this.#input = bucket(limits.input);
    this.#atMs = clock.now();
    this.#otherNextMs = this.#nextOtherMs(this.#atMs);
  }

  #nextOtherMs(afterMs: number): number {
    const other = this.enforcement.burstyOther;
    if (!other || other.requestsPerSecond <= 0) return Number.POSITIVE_INFINITY;
    return afterMs - (Math.log(1 - other.random()) / other.requestsPerSecond) * 1000;
  }

  #refill(nowMs: number): void {
    for (const b of [this.#requests, this.#input])
      b.level = Math.min(b.capacity, b.level + (nowMs - this.#atMs) * b.ratePerMs);
    this.#atMs = nowMs;
  }

  /** What this server charges a prompt of `characters`. */
  tokensOf(characters: number): number {
    return this.enforcement.countTokens?.(characters) ?? characters;
  }

  /** The best makespan any client could reach for prompts of `inputs` characters: the binding bucket's (Σ − burst) / refill. */
  lowerBoundMs(inputs: readonly number[]): number {
    const bound = (total: number, b: Bucket): number => Math.max(0, total - b.capacity) / b.ratePerMs;
    return Math.max(
      bound(inputs.length, this.#requests),
      bound(
        inputs.reduce((a, b) => a + this.tokensOf(b), 0),
        this.#input,
      ),
    );
  }

  send(attempt: Attempt): Promise<AttemptOutcome> {
    if (!this.enforcement.isReadingFresh) {
      const outcome = this.#admit(attempt);
      return new Promise((resolve) =>
        this.clock.setTimer(() => resolve(outcome), this.enforcement.latencyMs),
      );
    }
    return new Promise((resolve) =>
      this.clock.setTimer(() => resolve(this.#admit(attempt)), this.enforcement.latencyMs),
    );
  }

  #admit(attempt: Attempt): AttemptOutcome {
    const now = this.clock.now();
    for (; this.#otherNextMs <= now; this.#otherNextMs = this.#nextOtherMs(this.#otherNextMs)) {
      this.#refill(this.#otherNextMs);
      if (this.#requests.level < 1) continue;
      this.#requests.level -= 1;
      this.othersAdmitted++;
    }
    this.#refill(now);
    const input = this.tokensOf((attempt.request.messages[0]?.content as string).length);
    const fits = this.#requests.level >= 1 && this.#input.level >= input;
    if (fits) {
      this.#requests.level -= 1;
      this.#input.level -= input;
      this.admittedAtMs.push(now);
    } else this.rejected++;
    const wait = (need: number, b: Bucket): number => Math.max(0, (need - b.level) / b.ratePerMs);
    const retryAfterSec = Math.max(
      1,
      Math.ceil(Math.max(wait(1, this.#requests), wait(input, this.#input)) / 1000),
    );
    const reset = (b: Bucket): string =>
      new Date(Math.floor((now + (b.capacity - b.level) / b.ratePerMs) / 1000) * 1000)
        .toISOString()
        .replace('.000Z', 'Z');
    const h = headers({
      'anthropic-organization-id': this.organizationId,
      'anthropic-ratelimit-requests-limit': this.limits.requests,
      'anthropic-ratelimit-requests-remaining': Math.max(0, Math.floor(this.#requests.level)),
      'anthropic-ratelimit-requests-reset': reset(this.#requests),
      'anthropic-ratelimit-input-tokens-limit': this.limits.input,
      'anthropic-ratelimit-input-tokens-remaining': Math.max(0, Math.round(this.#input.level / 1000) * 1000),
      'anthropic-ratelimit-input-tokens-reset': reset(this.#input),
      ...(fits ? {} : { 'retry-after': retryAfterSec }),
    });
    return fits
      ? success('ok', usage(input, 5), h)
      : failure({ kind: 'rate_limited', status: 429, message: 'Rate limited', midStream: false }, h);
  }
}
