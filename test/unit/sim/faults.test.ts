import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fault } from '../../../sim/simulator';
import {
  client,
  KEY1,
  KEY2,
  messageBody,
  ORG1,
  post,
  rateLimitHeaders,
  rejectionOf,
  testConfig,
  withSim,
} from './harness';
import { waitUntil } from '../../support/waitUntil';

const create = (sim: { url: string }, extra: Record<string, unknown> = {}, key = KEY1): Promise<unknown> =>
  client(sim as never, key).messages.create(messageBody(100, extra) as never);

async function sdkErrorFor(fault: Fault, config: Record<string, unknown> = {}): Promise<APIError> {
  let caught: unknown;
  await withSim(testConfig({ faults: [fault], ...config }), async (sim) => {
    caught = await rejectionOf(create(sim));
    // Faults come before rate limiting: nothing was debited.
    assert.deepEqual(sim.bucketLevels(ORG1, 'sonnet-4'), { requests: 60, input: 60_000, output: 6000 });
  });
  assert.ok(caught instanceof Anthropic.APIError, String(caught));
  return caught;
}

void describe('HTTP error faults (what the SDK throws)', () => {
  void it('overloaded → OverloadedError 529 with x-should-retry true and no retry-after by default', async () => {
    const error = await sdkErrorFor({ kind: 'overloaded' });
    assert.ok(error instanceof Anthropic.OverloadedError);
    assert.equal(error.status, 529);
    assert.deepEqual(error.error, {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: error.requestID,
    });
    assert.equal(error.headers?.get('x-should-retry'), 'true');
    assert.equal(error.headers?.get('retry-after'), null);
    assert.equal(error.headers?.get('anthropic-ratelimit-requests-remaining'), '60');
  });

  void it('overloaded honours the 529 header switch', async () => {
    const error = await sdkErrorFor(
      { kind: 'overloaded' },
      { overloaded: { shouldRetry: false, retryAfterSec: 3 } },
    );
    assert.equal(error.headers?.get('x-should-retry'), 'false');
    assert.equal(error.headers?.get('retry-after'), '3');
  });

  void it('api_error → InternalServerError 500; timeout_error → GatewayTimeoutError 504', async () => {
    const internal = await sdkErrorFor({ kind: 'api_error' });
    assert.ok(internal instanceof Anthropic.InternalServerError);
    assert.equal(internal.status, 500);
    assert.deepEqual((internal.error as { error: unknown }).error, {
      details: null,
      type: 'api_error',
      message: 'Internal server error',
    });
    const timeout = await sdkErrorFor({ kind: 'timeout_error' });
    assert.ok(timeout instanceof Anthropic.GatewayTimeoutError);
    assert.equal(timeout.type, 'timeout_error');
  });

  void it('spend_limit → EnforcedSpendLimitReachedError without retry-after, regaining access next month', async () => {
    const error = await sdkErrorFor({ kind: 'spend_limit' });
    assert.ok(error instanceof Anthropic.EnforcedSpendLimitReachedError);
    assert.ok(error instanceof Anthropic.RateLimitError);
    assert.equal(error.errorCode, 'enforced_spend_limit_reached');
    assert.equal(error.headers?.get('retry-after'), null);
    assert.equal(error.headers?.get('x-should-retry'), null);
    assert.ok(error.apiMessage?.endsWith('You will regain access on 2026-02-01 at 00:00 UTC.'));
    const fixed = await sdkErrorFor({ kind: 'spend_limit', regainOn: '2026-09-01' });
    assert.ok(fixed.apiMessage?.includes('on 2026-09-01 at 00:00 UTC'));
  });

  void it('ramp_limit → RampLimitExceededError with retry-after', async () => {
    const error = await sdkErrorFor({ kind: 'ramp_limit', retryAfterSec: 7 });
    assert.ok(error instanceof Anthropic.RampLimitExceededError);
    assert.equal(error.errorCode, 'ramp_limit_exceeded');
    assert.equal(error.headers?.get('retry-after'), '7');
  });

  void it('permission_error → PermissionDeniedError 403', async () => {
    const error = await sdkErrorFor({ kind: 'permission_error' });
    assert.ok(error instanceof Anthropic.PermissionDeniedError);
    assert.equal(error.type, 'permission_error');
  });

  void it('request_too_large fires only above overBytes; prompt_too_long only above maxTokens', async () => {
    await withSim(
      testConfig({
        faults: [
          { kind: 'request_too_large', overBytes: 1000 },
          { kind: 'prompt_too_long', maxTokens: 150 },
        ],
      }),
      async (sim) => {
        assert.ok(
          (await rejectionOf(
            create(sim, { messages: [{ role: 'user', content: 'x'.repeat(2000) }] }),
          )) instanceof Anthropic.ContentTooLargeError,
        );
        const tooLong = await rejectionOf(
          create(sim, { messages: [{ role: 'user', content: 'x'.repeat(800) }] }),
        );
        assert.ok(tooLong instanceof Anthropic.BadRequestError);
        assert.equal(tooLong.apiMessage, 'prompt is too long: 200 tokens > 150 maximum');
        assert.equal((await post(sim, '/v1/messages', messageBody(100))).status, 200);
      },
    );
  });

  void it('absurd retry-after values on a 429', async () => {
    const values: string[] = [];
    for (const variant of ['negative', 'huge', 'past_date'] as const) {
      const error = await sdkErrorFor({ kind: 'absurd_retry_after', variant });
      assert.ok(error instanceof Anthropic.RateLimitError);
      values.push(String(error.headers?.get('retry-after')));
    }
    assert.deepEqual(values, ['-5', '1000000000', 'Wed, 31 Dec 2025 23:00:00 GMT']);
  });
});

void describe('keys and connections', () => {
  void it('key_revoked: 401 after N requests of that key, permanently; other keys unaffected', async () => {
    await withSim(
      testConfig({ faults: [{ kind: 'key_revoked', key: KEY2, afterRequests: 2 }] }),
      async (sim) => {
        await create(sim, {}, KEY2);
        await create(sim, {}, KEY2);
        const revoked = await rejectionOf(create(sim, {}, KEY2));
        assert.ok(revoked instanceof Anthropic.AuthenticationError);
        assert.equal(revoked.apiMessage, 'Invalid bearer token');
        assert.equal(revoked.headers?.get('anthropic-organization-id'), null);
        assert.equal(revoked.headers?.get('anthropic-ratelimit-requests-limit'), null);
        sim.setFaults([]);
        assert.ok((await rejectionOf(create(sim, {}, KEY2))) instanceof Anthropic.AuthenticationError);
        const counted = await post(
          sim,
          '/v1/messages/count_tokens',
          { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] },
          { 'x-api-key': KEY2 },
        );
        assert.equal(counted.status, 401);
        assert.equal(
          ((await counted.json()) as { error: { message: string } }).error.message,
          'invalid x-api-key',
        );
        await create(sim, {}, KEY1);
      },
    );
  });

  void it('connection_reset destroys the socket before headers → APIConnectionError', async () => {
    const error = await sdkErrorFor({ kind: 'connection_reset' });
    assert.ok(error instanceof Anthropic.APIConnectionError);
    assert.equal(error.status, undefined);
    await withSim(testConfig({ faults: [{ kind: 'connection_reset' }] }), async (sim) => {
      await assert.rejects(post(sim, '/v1/messages', messageBody(1)));
      await waitUntil(() => sim.stats().records[0]!.outcome === 'connection_reset', {
        what: 'the reset to be recorded',
      });
      assert.deepEqual(sim.stats().responsesByStatus, { '0': 1 });
    });
  });

  void it('delay_headers holds the response on the simulator clock: a client timeout fires, or the clock releases it', async () => {
    await withSim(
      testConfig({ faults: [{ kind: 'delay_headers', delayMs: 30_000 }] }),
      async (sim, clock) => {
        const timedOut = await rejectionOf(
          client(sim, KEY1, { timeout: 150 }).messages.create(messageBody(1) as never),
        );
        assert.ok(timedOut instanceof Anthropic.APIConnectionTimeoutError);

        const pending = post(sim, '/v1/messages', messageBody(1));
        await waitUntil(() => clock.pendingTimers === 2, { what: 'the second request to wait' });
        clock.advance(30_000);
        const res = await pending;
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('date'), 'Thu, 01 Jan 2026 00:00:30 GMT');
      },
    );
  });
});

void describe('mid-stream faults', () => {
  void it('stream_error after K deltas → APIError with status undefined and the error type', async () => {
    for (const errorType of ['overloaded_error', 'rate_limit_error'] as const) {
      await withSim(
        testConfig({ faults: [{ kind: 'stream_error', afterDeltas: 3, errorType }] }),
        async (sim) => {
          const stream = client(sim).messages.stream(messageBody(1) as never);
          let text = '';
          stream.on('text', (delta) => (text += delta));
          const error = await rejectionOf(stream.finalMessage());
          assert.ok(error instanceof Anthropic.APIError);
          assert.ok(
            !(error instanceof Anthropic.RateLimitError) && !(error instanceof Anthropic.OverloadedError),
          );
          assert.equal(error.status, undefined);
          assert.equal(error.type, errorType);
          assert.equal(text.length, 12);
          // Generated tokens were debited (real time); the stream ended without message_stop.
          assert.equal(sim.stats().tokensDebited[ORG1]!['sonnet-4']!.outputTokens, 3);
          assert.equal(sim.stats().records[0]!.outcome, 'stream_error');
        },
      );
    }
  });

  void it('stream_close after K deltas drops the connection without message_stop', async () => {
    await withSim(testConfig({ faults: [{ kind: 'stream_close', afterDeltas: 2 }] }), async (sim) => {
      const res = await post(sim, '/v1/messages', messageBody(1, { stream: true }));
      assert.equal(res.status, 200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const failure = await (async (): Promise<unknown> => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return undefined;
            text += new TextDecoder().decode(value);
          }
        } catch (error) {
          return error;
        }
      })();
      assert.ok(failure instanceof Error);
      assert.equal(text.split('event: content_block_delta').length - 1, 2);
      assert.ok(!text.includes('message_stop'));
      assert.ok(
        (await rejectionOf(
          client(sim)
            .messages.stream(messageBody(2) as never)
            .finalMessage(),
        )) instanceof Anthropic.AnthropicError,
      );
    });
  });

  void it('malformed_sse sends a cut-off data line; the SDK fails to parse it', async () => {
    await withSim(
      testConfig({ faults: [{ kind: 'malformed_sse', afterDeltas: 1, times: 1 }] }),
      async (sim) => {
        const text = await (await post(sim, '/v1/messages', messageBody(1, { stream: true }))).text();
        assert.ok(
          text.includes('data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_de\n\n'),
        );
        assert.ok(text.includes('event: message_stop'));
        sim.addFault({ kind: 'malformed_sse', afterDeltas: 1 });
        const error = await rejectionOf(
          client(sim)
            .messages.stream(messageBody(1) as never)
            .finalMessage(),
        );
        assert.ok(error instanceof Anthropic.AnthropicError);
        assert.match(error.message, /JSON/);
      },
    );
  });

  void it('stream faults skip non-streaming requests; malformed_json only hits them', async () => {
    await withSim(
      testConfig({
        faults: [
          { kind: 'stream_error', times: 1 },
          { kind: 'malformed_json', times: 2 },
        ],
      }),
      async (sim) => {
        const res = await post(sim, '/v1/messages', messageBody(1));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        const raw = await res.text();
        assert.throws(() => JSON.parse(raw) as unknown, SyntaxError);
        assert.ok(raw.startsWith('{"id":"msg_'));
        const parseError = await rejectionOf(create(sim));
        assert.ok(parseError instanceof Error);
        assert.match(parseError.message, /JSON/);
        const stream = await (await post(sim, '/v1/messages', messageBody(1, { stream: true }))).text();
        assert.ok(stream.includes('event: error'));
        assert.deepEqual(sim.stats().faultsFired, { malformed_json: 2, stream_error: 1 });
      },
    );
  });
});

void describe('header faults and triggers', () => {
  void it('missing and garbage rate-limit headers', async () => {
    await withSim(
      testConfig({
        faults: [
          { kind: 'missing_rate_limit_headers', onRequest: 1 },
          { kind: 'garbage_rate_limit_headers', onRequest: 2 },
        ],
      }),
      async (sim) => {
        const missing = await post(sim, '/v1/messages', messageBody(1));
        assert.equal(missing.status, 200);
        assert.deepEqual(rateLimitHeaders(missing), {});
        assert.match(missing.headers.get('request-id')!, /^req_/);
        const garbage = await post(sim, '/v1/messages', messageBody(1));
        assert.equal(rateLimitHeaders(garbage)['requests-remaining'], '-12.5x');
        assert.equal(rateLimitHeaders(garbage)['input-tokens-reset'], '2026-13-45T99:99:99Z');
        assert.equal(Object.keys(rateLimitHeaders(garbage)).length, 12);
        assert.equal(
          rateLimitHeaders(await post(sim, '/v1/messages', messageBody(1)))['requests-remaining'],
          '57',
        );
      },
    );
  });

  void it('onRequest counts all keys together; key narrows; times limits', async () => {
    const faults = [
      { kind: 'api_error', onRequest: [2, 4] },
      { kind: 'permission_error', key: KEY2, times: 1 },
    ];
    await withSim(testConfig({ faults }), async (sim) => {
      const statuses: number[] = [];
      for (const key of [KEY1, KEY1, KEY2, KEY2, KEY2])
        statuses.push((await post(sim, '/v1/messages', messageBody(1), { 'x-api-key': key })).status);
      assert.deepEqual(statuses, [200, 500, 403, 500, 200]);
    });
  });

  void it('probability rolls on the seeded generator: same seed, same requests hit', async () => {
    const pattern = async (seed: number): Promise<string> => {
      let out = '';
      await withSim(testConfig({ seed, faults: [{ kind: 'overloaded', probability: 0.5 }] }), async (sim) => {
        for (let i = 0; i < 24; i++)
          out += (await post(sim, '/v1/messages', messageBody(1))).status === 529 ? 'x' : '.';
      });
      return out;
    };
    const first = await pattern(5);
    assert.equal(await pattern(5), first);
    assert.notEqual(await pattern(6), first);
    assert.ok(first.includes('x') && first.includes('.'));
  });

  void it('setFaults validates like the config', async () => {
    await withSim(testConfig(), (sim) => {
      assert.throws(
        () => sim.setFaults([{ kind: 'stream_error', afterDeltas: -1, errorType: 'overloaded_error' }]),
        /faults\[0\]\.afterDeltas must be a non-negative integer/,
      );
      return Promise.resolve();
    });
  });
});
