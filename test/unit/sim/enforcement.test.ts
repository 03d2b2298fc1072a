import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  client,
  KEY1,
  messageBody,
  ORG1,
  post,
  RATE_LIMIT_TAIL,
  rateLimitHeaders,
  rejectionOf,
  SONNET,
  testConfig,
  WORKSPACE,
  WS_KEY,
  withSim,
} from './harness';

/** testConfig with the workspace's only limit a total-token one: 6,000 tokens per minute (100/s). */
function totalTokensConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const config = testConfig(overrides);
  (config.organizations as { workspaces?: unknown }[])[0]!.workspaces = [
    { id: WORKSPACE, keys: [WS_KEY], limits: { default: { totalTokensPerMinute: 6_000 } } },
  ];
  return config;
}

const ws = { 'x-api-key': WS_KEY };

void describe('per-limiter enforcement windows', () => {
  void it('per-minute buckets with RPM enforced per second: one request per second, headers per minute', async () => {
    await withSim(
      testConfig({ burstWindowSec: 60, limiterWindowSec: { requests: 1 } }),
      async (sim, clock) => {
        const first = await post(sim, '/v1/messages', messageBody(30_000));
        assert.equal(first.status, 200);
        // Requests: capacity 60 × 1 / 60 = 1, now 0, full after 1 s. Input keeps its minute: 30,000 of 60,000 left.
        assert.deepEqual(rateLimitHeaders(first), {
          'requests-limit': '60',
          'requests-remaining': '0',
          'requests-reset': '2026-01-01T00:00:01Z',
          'input-tokens-limit': '60000',
          'input-tokens-remaining': '30000',
          'input-tokens-reset': '2026-01-01T00:00:30Z',
          'output-tokens-limit': '6000',
          'output-tokens-remaining': '6000',
          'output-tokens-reset': '2026-01-01T00:00:00Z',
          'tokens-limit': '66000',
          'tokens-remaining': '36000',
          'tokens-reset': '2026-01-01T00:00:00Z',
        });
        clock.advance(600);
        const refused = await post(sim, '/v1/messages', messageBody(10));
        assert.equal(refused.status, 429);
        assert.equal(refused.headers.get('retry-after'), '1'); // 0.4 of a request short at 1/s
        assert.equal(refused.headers.get('anthropic-ratelimit-requests-remaining'), '0');
        assert.equal(refused.headers.get('anthropic-ratelimit-requests-reset'), '2026-01-01T00:00:01Z');
        const { error } = (await refused.json()) as { error: { message: string } };
        assert.equal(
          error.message,
          `This request would exceed your organization's rate limit of 60 requests per minute (org: ${ORG1}, model: ${SONNET}). ${RATE_LIMIT_TAIL}`,
        );
        clock.advance(400);
        assert.equal((await post(sim, '/v1/messages', messageBody(20_000))).status, 200);
        assert.deepEqual(sim.bucketLevels(ORG1, 'sonnet-4'), { requests: 0, input: 11_000, output: 5990 });
        clock.advance(1000);
        // Input keeps refilling at 1,000/s into its minute-sized bucket: 12,000 a second later, then 1,000.
        assert.equal((await post(sim, '/v1/messages', messageBody(12_000))).status, 200);
        clock.advance(1000);
        const input = await post(sim, '/v1/messages', messageBody(2_000));
        assert.equal(input.status, 429);
        assert.equal(input.headers.get('retry-after'), '1'); // 1,000 short at 1,000/s
        assert.equal(sim.stats().rateLimitedByLimiter.input, 1);
      },
    );
  });

  void it('each limiter holds its own window of refill; tokens-reset is the earlier of input and output', async () => {
    await withSim(
      testConfig({ burstWindowSec: 2, limiterWindowSec: { input: 30, output: 60 } }),
      async (sim, clock) => {
        const first = await post(sim, '/v1/messages', messageBody(20_000, { max_tokens: 10 }));
        // Requests: capacity 2, 1 left, full in 1 s. Input: capacity 30,000, 10,000 left, full in 20 s.
        // Output: capacity 6,000, 5,990 left, full in 0.1 s.
        assert.deepEqual(rateLimitHeaders(first), {
          'requests-limit': '60',
          'requests-remaining': '1',
          'requests-reset': '2026-01-01T00:00:01Z',
          'input-tokens-limit': '60000',
          'input-tokens-remaining': '10000',
          'input-tokens-reset': '2026-01-01T00:00:20Z',
          'output-tokens-limit': '6000',
          'output-tokens-remaining': '6000',
          'output-tokens-reset': '2026-01-01T00:00:00Z',
          'tokens-limit': '66000',
          'tokens-remaining': '16000',
          'tokens-reset': '2026-01-01T00:00:00Z',
        });
        clock.advance(1500);
        const second = await post(sim, '/v1/messages', messageBody(100));
        // Output: 5,990 + 10 → full (6,000), then 10 more: 5,990 at 1.5 s, full at 1.6 s → truncated to 00:00:01.
        // Input: 10,000 + 1,500 − 100 = 11,400, full after 18.6 s → 00:00:20.1 → 00:00:20.
        const h = rateLimitHeaders(second);
        assert.equal(h['input-tokens-reset'], '2026-01-01T00:00:20Z');
        assert.equal(h['output-tokens-reset'], '2026-01-01T00:00:01Z');
        assert.equal(h['tokens-reset'], '2026-01-01T00:00:01Z');
        assert.equal(h['requests-remaining'], '1'); // 1 + 1.5 capped at 2, − 1
      },
    );
  });
});

void describe('workspace total-token limit', () => {
  void it('draws input + output from one bucket that only tokens-* reports, and refuses with a 429 naming tokens', async () => {
    await withSim(totalTokensConfig(), async (sim, clock) => {
      const first = await post(sim, '/v1/messages', messageBody(2_000), ws);
      assert.equal(first.status, 200);
      // 6,000 − 2,000 input − 10 output = 3,990, full after 20.1 s. The other limiters are the organization's.
      assert.deepEqual(rateLimitHeaders(first), {
        'requests-limit': '60',
        'requests-remaining': '59',
        'requests-reset': '2026-01-01T00:00:01Z',
        'input-tokens-limit': '60000',
        'input-tokens-remaining': '58000',
        'input-tokens-reset': '2026-01-01T00:00:02Z',
        'output-tokens-limit': '6000',
        'output-tokens-remaining': '6000',
        'output-tokens-reset': '2026-01-01T00:00:00Z',
        'tokens-limit': '6000',
        'tokens-remaining': '4000',
        'tokens-reset': '2026-01-01T00:00:20Z',
      });
      assert.deepEqual(sim.bucketLevels(WORKSPACE, 'sonnet-4'), {
        requests: 59,
        input: 58_000,
        output: 5990,
        tokens: 3990,
      });

      const error = await rejectionOf(client(sim, WS_KEY).messages.create(messageBody(4_000) as never));
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.headers.get('retry-after'), '1'); // 10 short at 100/s
      assert.equal(error.headers.get('anthropic-ratelimit-tokens-remaining'), '0');
      assert.equal(error.headers.get('anthropic-ratelimit-tokens-limit'), '6000');
      assert.equal(error.headers.get('anthropic-ratelimit-input-tokens-remaining'), '58000');
      assert.equal(
        error.apiMessage,
        `This request would exceed your workspace's rate limit of 6,000 tokens per minute (workspace: ${WORKSPACE}, model: ${SONNET}). ${RATE_LIMIT_TAIL}`,
      );
      assert.equal(sim.stats().rateLimitedByLimiter.tokens, 1);
      assert.equal(sim.bucketLevels(WORKSPACE, 'sonnet-4').tokens, 3990); // the 429 took nothing

      clock.advance(1000);
      assert.equal((await post(sim, '/v1/messages', messageBody(4_000), ws)).status, 200);
      assert.ok(Math.abs(sim.bucketLevels(WORKSPACE, 'sonnet-4').tokens! - 80) < 1e-9); // 4,090 − 4,000 − 10

      // A key of the organization itself has no total-token limit: tokens-* is input + output again.
      const org = rateLimitHeaders(
        await post(sim, '/v1/messages', messageBody(1_000), { 'x-api-key': KEY1 }),
      );
      assert.equal(org['tokens-limit'], '66000');
      assert.equal(org['tokens-remaining'], '60000'); // input 54,000 + output 5,980 rounded to 6,000
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').tokens, undefined);
    });
  });

  void it('counts the max_tokens reservation under the legacy regime and refunds the unused part', async () => {
    await withSim(totalTokensConfig({ otpmRegime: 'legacy' }), async (sim) => {
      assert.equal((await post(sim, '/v1/messages', messageBody(2_000), ws)).status, 200);
      // Reserved 2,000 + 100, 90 refunded when the 10-token reply ended.
      assert.equal(sim.bucketLevels(WORKSPACE, 'sonnet-4').tokens, 3990);
      // 3,950 input fits the 3,990 left, but not with 100 reserved for output.
      const refused = await post(sim, '/v1/messages', messageBody(3_950), ws);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '1'); // 60 short at 100/s
      assert.equal(sim.stats().rateLimitedByLimiter.tokens, 1);
      assert.equal((await post(sim, '/v1/messages', messageBody(3_890), ws)).status, 200);
    });
  });

  void it('takes its own window from limiterWindowSec.tokens', async () => {
    await withSim(totalTokensConfig({ limiterWindowSec: { tokens: 1 } }), async (sim, clock) => {
      // Capacity 6,000 × 1 / 60 = 100 tokens: 90 input tokens fit, and the 10 output tokens empty the bucket.
      const first = await post(sim, '/v1/messages', messageBody(90), ws);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('anthropic-ratelimit-tokens-limit'), '6000');
      assert.equal(first.headers.get('anthropic-ratelimit-tokens-remaining'), '0');
      assert.equal(first.headers.get('anthropic-ratelimit-tokens-reset'), '2026-01-01T00:00:01Z');
      assert.equal((await post(sim, '/v1/messages', messageBody(1), ws)).status, 429);
      clock.advance(1000);
      assert.equal((await post(sim, '/v1/messages', messageBody(90), ws)).status, 200);
      assert.equal((await post(sim, '/v1/messages', messageBody(1), ws)).status, 429);
    });
  });
});
