// An in-memory stand-in for the API on a manual clock, for the soak: per-(organization, model)
// request buckets with truthful headers, latency, streamed deltas and random faults. No HTTP, so
// thousands of requests run in seconds; the fault matrix covers the real transport and simulator.
import type { ManualClock } from '../../support/manualClock';
import type { Attempt, AttemptError, AttemptOutcome, Transport } from '../../../src/pacer/transport';

/** A seeded generator in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Requests per minute of every (organization, model) bucket. */
export const CHAOS_RPM = 240;

/** Counters of what the server did. */
export interface ChaosStats {
  attempts: number;
  successes: number;
  faults: Record<string, number>;
  rateLimited: number;
}

/** Which organization a key belongs to, or undefined for a key the server rejects (401). */
export type OrganizationOf = (keyId: string) => string | undefined;

/**
 * Answers each attempt after 50–1,500 ms of clock time. A key without an organization gets 401;
 * a request over its bucket gets 429 with retry-after (1% of the time an unseen client has just
 * emptied it); otherwise a fault is drawn (529, 500,
 * connection, mid-stream failure after 1–3 deltas, 400, each a few percent), else 1–5 deltas and
 * success. Headers carry the organization and the bucket's real state.
 */
export class ChaosServer implements Transport {
  readonly stats: ChaosStats = { attempts: 0, successes: 0, faults: {}, rateLimited: 0 };
  readonly #clock: ManualClock;
  readonly #random: () => number;
  readonly #organizationOf: OrganizationOf;
  readonly #buckets = new Map<string, { level: number; atMs: number }>();

  /** Draws latency and faults from `random`. */
  constructor(clock: ManualClock, random: () => number, organizationOf: OrganizationOf) {
    this.#clock = clock;
    this.#random = random;
    this.#organizationOf = organizationOf;
  }

  send(attempt: Attempt): Promise<AttemptOutcome> {
    this.stats.attempts++;
    return new Promise((resolve) => {
      let isDone = false;
      const finish = (outcome: AttemptOutcome): void => {
        if (isDone) return;
        isDone = true;
        attempt.signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      let partial = '';
      const onAbort = (): void =>
        finish(this.#failure({ kind: 'aborted', message: 'aborted', midStream: false }, partial));
      attempt.signal.addEventListener('abort', onAbort);
      const latencyMs = 50 + Math.floor(this.#random() * 1_450);
      this.#clock.setTimer(() => {
        if (isDone) return;
        const outcome = this.#answer(attempt, (text) => {
          partial += text;
          attempt.onText(text);
        });
        finish(outcome);
      }, latencyMs);
    });
  }

  #answer(attempt: Attempt, emit: (text: string) => void): AttemptOutcome {
    const now = this.#clock.now();
    const organization = this.#organizationOf(attempt.keyId);
    if (organization === undefined)
      return this.#fault('401', {
        kind: 'auth',
        status: 401,
        message: 'invalid x-api-key',
        midStream: false,
      });
    const id = `${organization}|${attempt.request.model}`;
    const bucket = this.#buckets.get(id) ?? { level: CHAOS_RPM, atMs: now };
    bucket.level = Math.min(CHAOS_RPM, bucket.level + ((now - bucket.atMs) * CHAOS_RPM) / 60_000);
    bucket.atMs = now;
    // Now and then another client empties the bucket unseen: the pacer meets a surprise 429.
    if (this.#random() < 0.01) bucket.level = 0;
    this.#buckets.set(id, bucket);
    const headers = (): Headers =>
      new Headers({
        'anthropic-organization-id': organization,
        'anthropic-ratelimit-requests-limit': String(CHAOS_RPM),
        'anthropic-ratelimit-requests-remaining': String(Math.max(0, Math.floor(bucket.level))),
        'anthropic-ratelimit-requests-reset': new Date(
          now + ((CHAOS_RPM - bucket.level) * 60_000) / CHAOS_RPM,
        ).toISOString(),
      });
    if (bucket.level < 1) {
      this.stats.rateLimited++;
      const h = headers();
      h.set('retry-after', String(Math.ceil(((1 - bucket.level) * 60) / CHAOS_RPM)));
      return this.#failure(
        { kind: 'rate_limited', status: 429, message: 'Rate limited', midStream: false },
        '',
        h,
      );
    }
    bucket.level -= 1;
    const roll = this.#random();
    if (roll < 0.03)
      return this.#fault(
        '529',
        { kind: 'overloaded', status: 529, message: 'Overloaded', midStream: false },
        headers(),
      );
    if (roll < 0.05)
      return this.#fault(
        '500',
        { kind: 'server_error', status: 500, message: 'Internal server error', midStream: false },
        headers(),
      );
    if (roll < 0.07)
      return this.#fault('connection', { kind: 'connection', message: 'socket hang up', midStream: false });
    if (roll < 0.08)
      return this.#fault(
        '400',
        { kind: 'invalid_request', status: 400, message: 'bad request', midStream: false },
        headers(),
      );
    attempt.onHeaders?.(headers());
    const deltas = 1 + Math.floor(this.#random() * 5);
    let text = '';
    if (roll < 0.11) {
      const before = 1 + Math.floor(this.#random() * 3);
      for (let i = 0; i < before; i++) {
        emit(`d${i} `);
        text += `d${i} `;
      }
      return this.#fault(
        'mid-stream',
        { kind: 'overloaded', message: 'Overloaded', midStream: true },
        text,
        headers(),
      );
    }
    if (roll < 0.12)
      return this.#fault(
        'mid-stream before output',
        { kind: 'connection', message: 'terminated', midStream: true },
        '',
        headers(),
      );
    for (let i = 0; i < deltas; i++) {
      emit(`d${i} `);
      text += `d${i} `;
    }
    this.stats.successes++;
    return {
      kind: 'success',
      text,
      usage: { inputTokens: 20, outputTokens: deltas, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
      stopReason: 'end_turn',
      headers: headers(),
    };
  }

  #fault(
    name: string,
    error: AttemptError,
    partialOrHeaders?: string | Headers,
    headers?: Headers,
  ): AttemptOutcome {
    this.stats.faults[name] = (this.stats.faults[name] ?? 0) + 1;
    const partial = typeof partialOrHeaders === 'string' ? partialOrHeaders : '';
    return this.#failure(error, partial, typeof partialOrHeaders === 'string' ? headers : partialOrHeaders);
  }

  #failure(error: AttemptError, partialText: string, headers?: Headers): AttemptOutcome {
    return { kind: 'failure', error, partialText, ...(headers !== undefined && { headers }) };
  }
}
