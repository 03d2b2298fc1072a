import Anthropic from '@anthropic-ai/sdk';
import { JOB_HEADER } from '../attemptLog';
import type { BenchJob, KnownLimits, MinuteLimits, StrategyContext } from '../types';

/** One SDK client per key, all sharing the attempt-recording fetch. `maxRetries` undefined = SDK default (2). */
export function clientsFor(ctx: StrategyContext, maxRetries?: number): Map<string, Anthropic> {
  return new Map(
    ctx.known.organizations.flat().map((key) => [
      key,
      new Anthropic({
        apiKey: key,
        baseURL: ctx.baseUrl,
        logLevel: 'off',
        ...(maxRetries !== undefined ? { maxRetries } : {}),
        fetch: ctx.attempts.fetch,
      }),
    ]),
  );
}

/** `client.messages.create` as a developer calls it (non-streaming), tagged with the job id for the attempt log. */
export function createMessage(
  client: Anthropic,
  job: BenchJob,
  signal: AbortSignal,
): Promise<Anthropic.Message> {
  return client.messages.create(
    { model: job.model, max_tokens: job.maxTokens, messages: [{ role: 'user', content: job.prompt }] },
    { signal, headers: { [JOB_HEADER]: String(job.id) } },
  );
}

/** Round-robin over a list. */
export function roundRobin<T>(items: readonly T[]): () => T {
  let next = 0;
  return () => items[next++ % items.length]!;
}

/** The limits a developer would configure for `model`; throws when they were not given (external runs). */
export function limitsFor(known: KnownLimits, model: string): MinuteLimits {
  const limits = known.limitsByModel?.[model] ?? Object.values(known.limitsByModel ?? {})[0];
  if (!limits) throw new Error('this strategy needs the limits: pass --rpm, --itpm and --otpm');
  return limits;
}

/** Per-window amounts: "per minute" scaled to the server's refill window. */
export function perWindow(limits: MinuteLimits, windowSec: number): MinuteLimits {
  const scale = windowSec / 60;
  return {
    requestsPerMinute: Math.max(1, Math.floor(limits.requestsPerMinute * scale)),
    inputTokensPerMinute: Math.max(1, Math.floor(limits.inputTokensPerMinute * scale)),
    outputTokensPerMinute: Math.max(1, Math.floor(limits.outputTokensPerMinute * scale)),
  };
}

/** Rough input-token estimate a developer would use: characters / 4. */
export function estimateTokens(job: BenchJob): number {
  return Math.ceil(job.prompt.length / 4);
}

/**
 * Per-(organization, model) limiters built lazily, and a picker that spreads jobs over organizations
 * round-robin and over an organization's keys round-robin.
 */
export class OrgRouter<L> {
  readonly #make: (model: string) => L;
  readonly #limiters = new Map<string, L>();
  readonly #nextOrg: () => number;
  readonly #nextKey: (() => string)[];

  constructor(known: KnownLimits, make: (model: string) => L) {
    this.#make = make;
    this.#nextOrg = roundRobin(known.organizations.map((_, i) => i));
    this.#nextKey = known.organizations.map((keys) => roundRobin(keys));
  }

  /** The organization, key and limiter for the next job of `model`. */
  route(model: string): { org: number; key: string; limiter: L } {
    const org = this.#nextOrg();
    const id = `${org}|${model}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) this.#limiters.set(id, (limiter = this.#make(model)));
    return { org, key: this.#nextKey[org]!(), limiter };
  }

  /** Every limiter built so far. */
  all(): L[] {
    return [...this.#limiters.values()];
  }
}
