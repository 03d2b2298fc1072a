import type { ManualClock } from '../../support/manualClock';
import type { BoundLimits } from '../../support/submitAndDrain';
import type { Attempt, AttemptOutcome, Transport } from '../../../src/pacer/transport';
import { failure, headers, success, usage } from './scriptedTransport';

/** One request the server accepted. */
export interface AcceptedRequest {
  readonly atMs: number;
  readonly keyId: string;
  readonly organization: string;
  /** Input tokens: one per prompt character. */
  readonly input: number;
}

/**
 * A truthful server written independently of the pacer: per-organization, per-minute limits as
 * continuously refilled buckets, headers computed after the debit, a 429 with the bucket's state
 * when a request does not fit, and answers after `latencyMs` of clock time.
 */
export class TruthfulServer implements Transport {
  readonly sent: AcceptedRequest[] = [];
  rejected = 0;
  readonly #buckets = new Map<string, { requests: number; input: number; atMs: number }>();

  /** Every key in one organization unless `organizationOf` says otherwise. */
  constructor(
    private readonly clock: ManualClock,
    private readonly limits: BoundLimits,
    private readonly latencyMs: () => number,
    private readonly organizationOf: (keyId: string) => string = () => 'org-1',
  ) {}

  send(attempt: Attempt): Promise<AttemptOutcome> {
    const now = this.clock.now();
    const { limits } = this;
    const organization = this.organizationOf(attempt.keyId);
    const b = this.#buckets.get(organization) ?? { ...limits, atMs: now };
    const dt = now - b.atMs;
    b.requests = Math.min(limits.requests, b.requests + (dt * limits.requests) / 60_000);
    b.input = Math.min(limits.input, b.input + (dt * limits.input) / 60_000);
    b.atMs = now;
    this.#buckets.set(organization, b);
    const input = (attempt.request.messages[0]?.content as string).length;
    const h = (): ReturnType<typeof headers> =>
      headers({
        'anthropic-organization-id': organization,
        'anthropic-ratelimit-requests-limit': limits.requests,
        'anthropic-ratelimit-requests-remaining': Math.max(0, Math.floor(b.requests)),
        'anthropic-ratelimit-requests-reset': new Date(
          now + ((limits.requests - b.requests) * 60_000) / limits.requests,
        ).toISOString(),
        'anthropic-ratelimit-input-tokens-limit': limits.input,
        'anthropic-ratelimit-input-tokens-remaining': Math.max(0, Math.floor(b.input)),
        'anthropic-ratelimit-input-tokens-reset': new Date(
          now + ((limits.input - b.input) * 60_000) / limits.input,
        ).toISOString(),
      });
    if (b.requests < 1 || b.input < input) {
      this.rejected++;
      return Promise.resolve(
        failure({ kind: 'rate_limited', status: 429, message: 'rate limit', midStream: false }, h()),
      );
    }
    b.requests -= 1;
    b.input -= input;
    this.sent.push({ atMs: now, keyId: attempt.keyId, organization, input });
    const reply = h();
    return new Promise((resolve) =>
      this.clock.setTimer(() => resolve(success('ok', usage(input, 5), reply)), this.latencyMs()),
    );
  }
}
