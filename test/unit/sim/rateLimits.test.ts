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
  userMessage,
  withSim,
} from './harness';

void describe('rate-limit headers', () => {
  void it('reports every limiter after the debit, refilling on the simulator clock', async () => {
    await withSim(testConfig(), async (sim, clock) => {
      const first = await post(sim, '/v1/messages', messageBody(1000));
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('anthropic-organization-id'), ORG1);
      assert.match(first.headers.get('request-id')!, /^req_[0-9A-Za-z]{24}$/);
      assert.equal(first.headers.get('date'), 'Thu, 01 Jan 2026 00:00:00 GMT');
      // 1 request of 60 (1/s), 1,000 of 60,000 input tokens (1,000/s), 10 of 6,000 output tokens (100/s, 0.1 s).
      assert.deepEqual(rateLimitHeaders(first), {
        'requests-limit': '60',
        'requests-remaining': '59',
        'requests-reset': '2026-01-01T00:00:01Z',
        'input-tokens-limit': '60000',
        'input-tokens-remaining': '59000',
        'input-tokens-reset': '2026-01-01T00:00:01Z',
        'output-tokens-limit': '6000',
        'output-tokens-remaining': '6000',
        'output-tokens-reset': '2026-01-01T00:00:00Z',
        'tokens-limit': '66000',
        'tokens-remaining': '65000',
        'tokens-reset': '2026-01-01T00:00:00Z', // the earlier of the input and output resets
      });
      const body = (await first.json()) as { usage: { input_tokens: number; output_tokens: number } };
      assert.equal(body.usage.input_tokens, 1000);
      assert.equal(body.usage.output_tokens, 10);

      clock.advance(500);
      const second = await post(sim, '/v1/messages', messageBody(2600));
      // Requests: 59 + 0.5 refill − 1 = 58.5 → floor 58, full again after 1.5 s.
      // Input: 59,000 + 500 − 2,600 = 56,900 → nearest thousand 57,000, full after 3.1 s → 00:00:03.6 → truncated.
      const h = rateLimitHeaders(second);
      assert.equal(h['requests-remaining'], '58');
      assert.equal(h['requests-reset'], '2026-01-01T00:00:02Z');
      assert.equal(h['input-tokens-remaining'], '57000');
      assert.equal(h['input-tokens-reset'], '2026-01-01T00:00:03Z');
      assert.deepEqual(sim.bucketLevels(ORG1, 'sonnet-4'), { requests: 58.5, input: 56_900, output: 5990 });
    });
  });

  void it('rounds token remaining to the nearest thousand and reads the same through the SDK', async () => {
    await withSim(testConfig(), async (sim) => {
      const { response, data } = await client(sim)
        .messages.create(messageBody(1499) as never)
        .withResponse();
      assert.equal(data.usage.input_tokens, 1499);
      assert.equal(response.headers.get('anthropic-ratelimit-input-tokens-remaining'), '59000'); // 58,501 → 59,000
      const next = await client(sim)
        .messages.create(messageBody(2) as never)
        .withResponse();
      assert.equal(next.response.headers.get('anthropic-ratelimit-input-tokens-remaining'), '58000'); // 58,499 → 58,000
    });
  });
});

void describe('429s', () => {
  void it('requests limiter: names the RPM limit, retry-after from the refill rate, nothing consumed', async () => {
    const config = testConfig();
    (config.organizations as { limits: unknown }[])[0]!.limits = { default: { requestsPerMinute: 2 } };
    await withSim(config, async (sim, clock) => {
      for (let i = 0; i < 2; i++)
        assert.equal((await post(sim, '/v1/messages', messageBody(10))).status, 200);
      const before = sim.bucketLevels(ORG1, 'sonnet-4');
      const error = await rejectionOf(client(sim).messages.create(messageBody(10) as never));
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.status, 429);
      assert.equal(error.headers.get('retry-after'), '30'); // 1 request at 2/60 per second
      assert.equal(error.headers.get('x-should-retry'), 'true');
      assert.equal(error.headers.get('anthropic-ratelimit-requests-remaining'), '0');
      assert.equal(error.headers.get('anthropic-ratelimit-requests-reset'), '2026-01-01T00:01:00Z');
      assert.equal(error.type, 'rate_limit_error');
      assert.equal(
        error.apiMessage,
        `This request would exceed your organization's rate limit of 2 requests per minute (org: ${ORG1}, model: ${SONNET}). ${RATE_LIMIT_TAIL}`,
      );
      assert.equal(error.requestID, (error.error as { request_id: string }).request_id);
      assert.deepEqual(sim.bucketLevels(ORG1, 'sonnet-4'), before);

      clock.advance(29_000);
      const early = await post(sim, '/v1/messages', messageBody(10));
      assert.equal(early.status, 429);
      assert.equal(early.headers.get('retry-after'), '1');
      clock.advance(1000);
      assert.equal((await post(sim, '/v1/messages', messageBody(10))).status, 200);
    });
  });

  void it('input limiter: retry-after covers the deficit; a request larger than capacity always 429s', async () => {
    await withSim(testConfig(), async (sim, clock) => {
      assert.equal((await post(sim, '/v1/messages', messageBody(50_000))).status, 200);
      const res = await post(sim, '/v1/messages', messageBody(20_000));
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '10'); // 10,000 short at 1,000/s
      assert.equal(res.headers.get('anthropic-ratelimit-input-tokens-remaining'), '0');
      assert.equal(res.headers.get('anthropic-ratelimit-requests-remaining'), '59'); // the 429 took no request
      const body = (await res.json()) as {
        type: string;
        error: { type: string; message: string };
        request_id: string;
      };
      assert.equal(body.type, 'error');
      assert.equal(
        body.error.message,
        `This request would exceed your organization's rate limit of 60,000 input tokens per minute (org: ${ORG1}, model: ${SONNET}). ${RATE_LIMIT_TAIL}`,
      );
      assert.equal(body.request_id, res.headers.get('request-id'));
      clock.advance(10_000);
      assert.equal((await post(sim, '/v1/messages', messageBody(20_000))).status, 200);

      clock.advance(60_000);
      const huge = await post(sim, '/v1/messages', messageBody(70_000));
      assert.equal(huge.status, 429);
      assert.equal(huge.headers.get('retry-after'), '10'); // (70,000 − 60,000) / 1,000
      clock.advance(3_600_000);
      assert.equal((await post(sim, '/v1/messages', messageBody(70_000))).status, 429);
    });
  });

  void it('output limiter (real time): admits while the level is positive, then the level goes negative', async () => {
    const config = testConfig();
    (config.organizations as { limits: unknown }[])[0]!.limits = { default: { outputTokensPerMinute: 10 } };
    await withSim(config, async (sim, clock) => {
      assert.equal((await post(sim, '/v1/messages', messageBody(1))).status, 200); // 10 generated → level 0
      const refused = await post(sim, '/v1/messages', messageBody(1));
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '1');
      const { error } = (await refused.json()) as { error: { message: string } };
      assert.ok(
        error.message.startsWith(
          `This request would exceed your organization's rate limit of 10 output tokens per minute (org: ${ORG1}`,
        ),
      );
      clock.advance(1000); // level 1/6 > 0: admitted, then 10 more tokens → −9.83
      assert.equal((await post(sim, '/v1/messages', messageBody(1))).status, 200);
      assert.ok(Math.abs(sim.bucketLevels(ORG1, 'sonnet-4').output - (1 / 6 - 10)) < 1e-9);
      assert.equal((await post(sim, '/v1/messages', messageBody(1))).headers.get('retry-after'), '59');
    });
  });

  void it('checks requests before input before output', async () => {
    const config = testConfig();
    (config.organizations as { limits: unknown }[])[0]!.limits = {
      default: { requestsPerMinute: 1, inputTokensPerMinute: 100, outputTokensPerMinute: 10 },
    };
    await withSim(config, async (sim) => {
      assert.equal((await post(sim, '/v1/messages', messageBody(100))).status, 200); // empties all three
      const stats = async (): Promise<Record<string, number>> => {
        await post(sim, '/v1/messages', messageBody(100));
        return sim.stats().rateLimitedByLimiter;
      };
      assert.deepEqual(await stats(), { requests: 1, input: 0, output: 0, tokens: 0, count_tokens: 0 });
    });
  });

  void it('burstWindowSec shrinks capacity: 60 RPM with a 1 s window allows one request per second', async () => {
    await withSim(testConfig({ burstWindowSec: 1 }), async (sim, clock) => {
      const first = await post(sim, '/v1/messages', messageBody(1));
      assert.equal(first.headers.get('anthropic-ratelimit-requests-limit'), '60');
      assert.equal(first.headers.get('anthropic-ratelimit-requests-remaining'), '0');
      const second = await post(sim, '/v1/messages', messageBody(1));
      assert.equal(second.status, 429);
      assert.equal(second.headers.get('retry-after'), '1');
      clock.advance(1000);
      assert.equal((await post(sim, '/v1/messages', messageBody(1))).status, 200);
    });
  });

  void it('models of one class share buckets; other classes and organizations do not', async () => {
    await withSim(testConfig(), async (sim) => {
      await post(sim, '/v1/messages', { ...messageBody(1000), model: 'claude-sonnet-4-5-20250929' });
      await post(sim, '/v1/messages', { ...messageBody(1000), model: 'claude-sonnet-4-6' });
      await post(sim, '/v1/messages', { ...messageBody(1000), model: 'claude-haiku-4-5' });
      await post(sim, '/v1/messages', { ...messageBody(1000), model: 'claude-mystery-9' });
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').input, 58_000);
      assert.equal(sim.bucketLevels(ORG1, 'haiku-4-5').input, 59_000);
      assert.equal(sim.bucketLevels(ORG1, 'claude-mystery-9').input, 59_000);
      assert.deepEqual(Object.keys(sim.stats().tokensDebited[ORG1]!).sort(), [
        'claude-mystery-9',
        'haiku-4-5',
        'sonnet-4',
      ]);
      assert.equal(sim.stats().tokensDebited[ORG1]!['sonnet-4']!.inputTokens, 2000);
    });
  });

  void it('drainBuckets empties every limiter until refill', async () => {
    await withSim(testConfig(), async (sim, clock) => {
      sim.drainBuckets(ORG1, 'sonnet-4');
      assert.deepEqual(sim.bucketLevels(ORG1, 'sonnet-4'), { requests: 0, input: 0, output: 0 });
      const res = await post(sim, '/v1/messages', messageBody(10));
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '1');
      assert.equal(res.headers.get('anthropic-ratelimit-requests-reset'), '2026-01-01T00:01:00Z');
      assert.equal(
        (await post(sim, '/v1/messages', { ...messageBody(10), model: 'claude-haiku-4-5' })).status,
        200,
      );
      sim.drainBuckets(ORG1);
      assert.equal(
        (await post(sim, '/v1/messages', { ...messageBody(10), model: 'claude-haiku-4-5' })).status,
        429,
      );
      clock.advance(1000);
      assert.equal((await post(sim, '/v1/messages', messageBody(10))).status, 200);
    });
  });
});

void describe('hidden competitor', () => {
  void it('takes its share of the refill: slower reset, refill and retry-after', async () => {
    const competitors = [{ organization: ORG1, modelClass: 'sonnet-4', share: { input: 0.5 } }];
    await withSim(testConfig({ competitors }), async (sim, clock) => {
      const res = await post(sim, '/v1/messages', messageBody(30_000));
      // 30,000 to refill at 1,000/s × (1 − 0.5) = 60 s instead of 30 s.
      assert.equal(res.headers.get('anthropic-ratelimit-input-tokens-reset'), '2026-01-01T00:01:00Z');
      clock.advance(10_000);
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').input, 35_000);
      await post(sim, '/v1/messages', messageBody(30_000));
      const refused = await post(sim, '/v1/messages', messageBody(10_000));
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '10'); // 5,000 short at 500/s
      sim.setCompetitor(ORG1, 'sonnet-4', { input: 0 });
      clock.advance(5000);
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').input, 10_000);
      // Another organization's buckets are untouched.
      assert.equal(
        (
          await post(sim, '/v1/messages', messageBody(30_000), { 'x-api-key': 'sk-ant-sim-test-org2-a' })
        ).headers.get('anthropic-ratelimit-input-tokens-reset'),
        '2026-01-01T00:00:45Z',
      );
    });
  });
});

void describe('workspaces', () => {
  void it('applies the workspace limit and the organization limit, reporting the tighter one', async () => {
    await withSim(testConfig(), async (sim) => {
      const ws = { 'x-api-key': 'sk-ant-sim-test-org1-ws' };
      const first = await post(sim, '/v1/messages', messageBody(1000), ws);
      assert.equal(first.headers.get('anthropic-workspace-id'), 'wrkspc_test01');
      assert.equal(first.headers.get('anthropic-organization-id'), ORG1);
      assert.equal(first.headers.get('anthropic-ratelimit-requests-limit'), '2');
      assert.equal(first.headers.get('anthropic-ratelimit-requests-remaining'), '1');
      assert.equal(first.headers.get('anthropic-ratelimit-input-tokens-limit'), '60000'); // no workspace ITPM: the organization's
      await post(sim, '/v1/messages', messageBody(10), ws);
      const refused = await post(sim, '/v1/messages', messageBody(10), ws);
      assert.equal(refused.status, 429);
      const { error } = (await refused.json()) as { error: { message: string } };
      assert.ok(
        error.message.startsWith(
          `This request would exceed your workspace's rate limit of 2 requests per minute (workspace: wrkspc_test01, model: ${SONNET}).`,
        ),
      );
      assert.equal(sim.bucketLevels('wrkspc_test01', 'sonnet-4').requests, 0);
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').requests, 58); // both buckets were debited
      assert.equal((await post(sim, '/v1/messages', messageBody(10), { 'x-api-key': KEY1 })).status, 200);

      sim.drainBuckets(ORG1, 'sonnet-4');
      const org = await post(sim, '/v1/messages', messageBody(10), ws);
      assert.equal(org.status, 429);
    });
  });
});

void describe('count_tokens', () => {
  void it('has its own requests pool and sends only requests headers', async () => {
    await withSim(testConfig(), async (sim) => {
      const sdk = client(sim);
      const counted = await sdk.messages
        .countTokens({ model: SONNET, messages: [userMessage(250)], system: 'abcd' })
        .withResponse();
      assert.deepEqual(counted.data, { input_tokens: 251 });
      assert.equal(counted.response.headers.get('anthropic-ratelimit-requests-limit'), '2');
      assert.equal(counted.response.headers.get('anthropic-ratelimit-requests-remaining'), '1');
      assert.equal(
        counted.response.headers.get('anthropic-ratelimit-requests-reset'),
        '2026-01-01T00:00:30Z',
      );
      assert.equal(counted.response.headers.get('anthropic-ratelimit-input-tokens-limit'), null);
      assert.equal(counted.response.headers.get('anthropic-ratelimit-tokens-limit'), null);
      await sdk.messages.countTokens({ model: SONNET, messages: [userMessage(1)] });
      const error = await rejectionOf(
        sdk.messages.countTokens({ model: SONNET, messages: [userMessage(1)] }),
      );
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.headers.get('retry-after'), '30');
      assert.equal(error.headers.get('anthropic-ratelimit-requests-remaining'), '0');
      assert.ok(
        error.apiMessage?.startsWith(
          `This request would exceed your organization's rate limit of 2 requests per minute (org: ${ORG1}`,
        ),
      );
      // Messages buckets never saw those calls.
      const message = await post(sim, '/v1/messages', messageBody(1));
      assert.equal(message.headers.get('anthropic-ratelimit-requests-remaining'), '59');
      assert.deepEqual(sim.stats().rateLimitedByLimiter, {
        requests: 0,
        input: 0,
        output: 0,
        tokens: 0,
        count_tokens: 1,
      });
      assert.deepEqual(sim.stats().rateLimitedByKey, { [KEY1]: 1 });
    });
  });
});
