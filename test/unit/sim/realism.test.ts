import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  client,
  messageBody,
  ORG1,
  post,
  rejectionOf,
  testConfig,
  WORKSPACE,
  WS_KEY,
  withSim,
} from './harness';

/** testConfig with 1 RPM, so the second request is refused by the requests limiter. */
function oneRpm(realism: Record<string, unknown>): Record<string, unknown> {
  const config = testConfig({ realism });
  (config.organizations as { limits: unknown }[])[0]!.limits = { default: { requestsPerMinute: 1 } };
  return config;
}

const legacyText =
  'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); ' +
  'see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, ' +
  'or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.';

void describe('realism switches (spec §10)', () => {
  void it('omitOrganizationId leaves anthropic-organization-id off every response, but not the workspace id', async () => {
    await withSim(oneRpm({ omitOrganizationId: true }), async (sim) => {
      const ok = await post(sim, '/v1/messages', messageBody(10));
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('anthropic-organization-id'), null);
      assert.equal(ok.headers.get('anthropic-ratelimit-requests-limit'), '1');
      const refused = await post(sim, '/v1/messages', messageBody(10));
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('anthropic-organization-id'), null);
      const workspace = await post(sim, '/v1/messages', messageBody(10), { 'x-api-key': WS_KEY });
      assert.equal(workspace.headers.get('anthropic-organization-id'), null);
      assert.equal(workspace.headers.get('anthropic-workspace-id'), WORKSPACE);
      const notFound = await fetch(`${sim.url}/v1/no-such-route`, {
        headers: { 'x-api-key': 'sk-ant-sim-test-org1-a' },
      });
      assert.equal(notFound.status, 404);
      assert.equal(notFound.headers.get('anthropic-organization-id'), null);
    });
  });

  void it('is off by default: the organization id and the named 429 wording', async () => {
    await withSim(oneRpm({}), async (sim) => {
      assert.equal(
        (await post(sim, '/v1/messages', messageBody(10))).headers.get('anthropic-organization-id'),
        ORG1,
      );
      const refused = await post(sim, '/v1/messages', messageBody(10));
      assert.equal(refused.headers.get('retry-after'), '60');
      const { error } = (await refused.json()) as { error: { message: string } };
      assert.ok(
        error.message.startsWith(
          "This request would exceed your organization's rate limit of 1 requests per minute",
        ),
      );
    });
  });

  void it('rateLimitWording "rate_limited": the bare observed body, headers still name the limiter', async () => {
    await withSim(oneRpm({ rateLimitWording: 'rate_limited' }), async (sim) => {
      await post(sim, '/v1/messages', messageBody(10));
      const refused = await post(sim, '/v1/messages', messageBody(10));
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '60');
      assert.equal(refused.headers.get('x-should-retry'), 'true');
      assert.equal(refused.headers.get('anthropic-ratelimit-requests-remaining'), '0');
      assert.deepEqual(await refused.json(), {
        type: 'error',
        error: { details: null, type: 'rate_limit_error', message: 'Rate limited' },
        request_id: refused.headers.get('request-id'),
      });
      assert.equal(sim.stats().rateLimitedByLimiter.requests, 1);
    });
  });

  void it('rateLimitWording "error" and "request_tokens" name no dimension, even for an RPM refusal', async () => {
    await withSim(oneRpm({ rateLimitWording: 'error' }), async (sim) => {
      await post(sim, '/v1/messages', messageBody(10));
      const error = await rejectionOf(client(sim).messages.create(messageBody(10) as never));
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.apiMessage, 'Error');
    });
    await withSim(oneRpm({ rateLimitWording: 'request_tokens' }), async (sim) => {
      await post(sim, '/v1/messages', messageBody(10));
      const refused = await post(sim, '/v1/messages', messageBody(10));
      const body = (await refused.json()) as { error: { type: string; message: string } };
      assert.deepEqual(body.error, { type: 'rate_limit_error', message: legacyText });
    });
  });

  void it('omitRetryAfter leaves retry-after off rate-limiter 429s, count_tokens included', async () => {
    await withSim(oneRpm({ omitRetryAfter: true }), async (sim) => {
      await post(sim, '/v1/messages', messageBody(10));
      const refused = await post(sim, '/v1/messages', messageBody(10));
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), null);
      assert.equal(refused.headers.get('x-should-retry'), 'true');
      assert.equal(refused.headers.get('anthropic-ratelimit-requests-reset'), '2026-01-01T00:01:00Z');
      const count = { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] };
      for (let i = 0; i < 2; i++) await post(sim, '/v1/messages/count_tokens', count);
      const countRefused = await post(sim, '/v1/messages/count_tokens', count);
      assert.equal(countRefused.status, 429);
      assert.equal(countRefused.headers.get('retry-after'), null);
    });
  });
});
