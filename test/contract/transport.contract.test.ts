// The real SDK, through the transport, against the simulator: one case per fault the simulator offers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Attempt, AttemptOutcome } from '../../src/pacer/transport';
import { createAnthropicTransport, type AnthropicTransport } from '../../src/anthropic/anthropicTransport';
import { parseSimulatorConfig, startSimulator, type Fault, type RunningSimulator } from '../../sim/simulator';
import { FAULT_CASES, REVOKED_KEY } from './transportFaultCases';

const ORG_ID = '7a3b9c1d-0001-4000-8000-00000000c001';
const DRAINED_ORG_ID = '7a3b9c1d-0002-4000-8000-00000000c002';
const KEY = 'sk-ant-sim-contract-main';
const DRAINED_KEY = 'sk-ant-sim-contract-drained';
const UNKNOWN_KEY = 'sk-ant-sim-contract-unknown';
const SECRETS: Readonly<Record<string, string>> = {
  main: KEY,
  revoked: REVOKED_KEY,
  drained: DRAINED_KEY,
  unknown: UNKNOWN_KEY,
};
const MODEL = 'claude-sonnet-5';

/** An attempt that records what the transport handed to its callbacks. */
function attemptWith(keyId: string): Attempt & { readonly texts: string[]; readonly events: string[] } {
  const texts: string[] = [];
  const events: string[] = [];
  return {
    requestId: 'contract',
    keyId,
    request: {
      model: MODEL,
      maxTokens: 200,
      messages: [{ role: 'user', content: 'Tell me about rate limits.' }],
    },
    attemptNumber: 1,
    signal: new AbortController().signal,
    onText: (delta) => {
      texts.push(delta);
      events.push('text');
    },
    onHeaders: () => events.push('headers'),
    texts,
    events,
  };
}

void describe('transport contract against the simulator', () => {
  let sim: RunningSimulator;
  let transport: AnthropicTransport;

  before(async () => {
    const config = parseSimulatorConfig({
      seed: 7,
      // Paced generation puts each delta in its own tick: at full speed the simulator's stream_close
      // destroys the socket before Node flushes the corked response head, which looks like a reset.
      reply: { minOutputTokens: 12, maxOutputTokens: 24, tokensPerSecond: 1_000 },
      organizations: [
        { id: ORG_ID, keys: [KEY, REVOKED_KEY] },
        // One request per minute: once drained, nothing refills before the next request, however slow the machine.
        { id: DRAINED_ORG_ID, keys: [DRAINED_KEY], limits: { default: { requestsPerMinute: 1 } } },
      ],
    });
    sim = await startSimulator({ config });
    transport = createAnthropicTransport({
      baseUrl: sim.url,
      secretFor: (keyId) => SECRETS[keyId],
      timeoutMs: 5_000,
    });
  });
  after(async () => {
    transport.dispose();
    await sim.close();
  });

  /** Sends one attempt with `faults` installed, asserting it cost exactly one request and leaked no key. */
  async function sendOnce(
    faults: readonly Fault[],
    keyId = 'main',
    via: AnthropicTransport = transport,
  ): Promise<{ outcome: AttemptOutcome; attempt: ReturnType<typeof attemptWith> }> {
    sim.setFaults(faults);
    const before = sim.stats().requestsByRoute['/v1/messages'] ?? 0;
    const attempt = attemptWith(keyId);
    const outcome = await via.send(attempt);
    sim.setFaults([]);
    assert.equal((sim.stats().requestsByRoute['/v1/messages'] ?? 0) - before, 1, 'exactly one HTTP request');
    const serialised = JSON.stringify(outcome);
    for (const secret of Object.values(SECRETS)) assert.equal(serialised.includes(secret), false);
    return { outcome, attempt };
  }

  void it('streams a reply: headers first, every delta in order, usage, stop reason and request id', async () => {
    const { outcome, attempt } = await sendOnce([]);

    assert.equal(outcome.kind, 'success');
    assert.equal(attempt.events[0], 'headers');
    assert.ok(attempt.texts.length >= 12);
    assert.equal(outcome.text, attempt.texts.join(''));
    assert.ok(outcome.usage.inputTokens > 0);
    assert.equal(outcome.usage.outputTokens, attempt.texts.length);
    assert.equal(outcome.stopReason, 'end_turn');
    assert.match(outcome.serverRequestId ?? '', /^req_/);
    assert.equal(outcome.headers.get('anthropic-organization-id'), ORG_ID);
    assert.match(outcome.headers.get('anthropic-ratelimit-requests-remaining') ?? '', /^\d+$/);
  });

  for (const testCase of FAULT_CASES) {
    const label = `${testCase.fault.kind}${'errorType' in testCase.fault ? ` ${testCase.fault.errorType}` : ''}${'variant' in testCase.fault ? ` ${testCase.fault.variant}` : ''}`;
    void it(`classifies the ${label} fault as ${testCase.kind}`, async () => {
      const { outcome, attempt } = await sendOnce([{ ...testCase.fault, times: 1 }], testCase.keyId);

      assert.equal(outcome.kind, 'failure');
      const { error } = outcome;
      assert.equal(error.kind, testCase.kind);
      assert.equal(error.status, testCase.status);
      assert.equal(error.type, testCase.type);
      assert.equal(error.errorCode, testCase.errorCode);
      assert.equal(error.midStream, testCase.midStream);
      assert.ok(error.message.length > 0 && error.message.length <= 1000);
      assert.equal(
        outcome.partialText,
        attempt.texts.join(''),
        'partial text is exactly what onText received',
      );
      if (testCase.midStream) {
        assert.equal(attempt.texts.length, 3, 'the three deltas before the fault');
        assert.ok(outcome.partialUsage !== undefined && outcome.partialUsage.inputTokens > 0);
        assert.equal(outcome.headers?.get('anthropic-organization-id'), ORG_ID);
      } else if (testCase.status !== undefined) {
        assert.match(error.serverRequestId ?? '', /^req_/);
        assert.equal(outcome.headers?.get('request-id'), error.serverRequestId);
        assert.deepEqual(attempt.events, []);
      } else {
        assert.equal(outcome.headers, undefined);
      }
      if (testCase.retryAfter !== undefined)
        assert.equal(outcome.headers?.get('retry-after'), testCase.retryAfter);
    });
  }

  void it('passes a past-date retry-after through unparsed', async () => {
    const { outcome } = await sendOnce([{ kind: 'absurd_retry_after', variant: 'past_date', times: 1 }]);

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'rate_limited');
    const retryAfter = outcome.headers?.get('retry-after') ?? '';
    assert.ok(Date.parse(retryAfter) < Date.now());
  });

  void it('classifies headers delayed past the client timeout as timeout', async () => {
    const impatient = createAnthropicTransport({
      baseUrl: sim.url,
      secretFor: (id) => SECRETS[id],
      timeoutMs: 200,
    });

    const { outcome } = await sendOnce(
      [{ kind: 'delay_headers', delayMs: 1_500, times: 1 }],
      'main',
      impatient,
    );

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'timeout',
      message: 'No response headers arrived within the 200 ms timeout.',
      midStream: false,
    });
  });

  void it('returns missing or garbage rate-limit headers as they came, without failing', async () => {
    const missing = await sendOnce([{ kind: 'missing_rate_limit_headers', times: 1 }]);
    const garbage = await sendOnce([{ kind: 'garbage_rate_limit_headers', times: 1 }]);

    assert.equal(missing.outcome.kind, 'success');
    assert.equal(missing.outcome.headers.get('anthropic-ratelimit-requests-remaining'), null);
    assert.equal(garbage.outcome.kind, 'success');
    assert.equal(garbage.outcome.headers.get('anthropic-ratelimit-requests-limit'), 'many');
  });

  void it('is unaffected by malformed_json, which only hits non-streamed replies', async () => {
    const { outcome } = await sendOnce([{ kind: 'malformed_json', times: 1 }]);

    assert.equal(outcome.kind, 'success');
  });

  void it('classifies a real rate-limiter 429 with a readable retry-after and rate-limit headers', async () => {
    sim.drainBuckets(DRAINED_ORG_ID);

    const { outcome } = await sendOnce([], 'drained');

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'rate_limited');
    assert.equal(outcome.error.status, 429);
    assert.match(outcome.error.message, /^This request would exceed your organization's rate limit/);
    assert.match(outcome.headers?.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(outcome.headers?.get('anthropic-ratelimit-requests-remaining'), '0');
  });

  void it('classifies a key the simulator does not know as auth', async () => {
    const { outcome } = await sendOnce([], 'unknown');

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'auth');
    assert.equal(outcome.error.status, 401);
    assert.equal(outcome.error.message, 'Invalid bearer token');
  });

  void it('counts tokens and learns the organization from the headers', async () => {
    const outcome = await transport.countTokens({
      keyId: 'main',
      model: MODEL,
      messages: [{ role: 'user', content: 'Tell me about rate limits.' }],
    });

    assert.equal(outcome.kind, 'success');
    assert.ok(outcome.inputTokens > 0);
    assert.equal(outcome.headers.get('anthropic-organization-id'), ORG_ID);
  });
});
