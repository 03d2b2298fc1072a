import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { client, KEY1, messageBody, ORG1, post, rejectionOf, SONNET, testConfig, withSim } from './harness';
import { waitUntil } from '../../support/waitUntil';

interface ErrorBody {
  type: string;
  error: { type: string; message: string };
  request_id: string;
}

async function errorOf(res: Response): Promise<ErrorBody> {
  const body = (await res.json()) as ErrorBody;
  assert.equal(body.type, 'error');
  assert.equal(body.request_id, res.headers.get('request-id'));
  return body;
}

void describe('auth and versions', () => {
  void it('accepts x-api-key with 2023-06-01 and Bearer with 2026-10-21 (the SDK default)', async () => {
    await withSim(testConfig(), async (sim) => {
      assert.equal(
        (await post(sim, '/v1/messages', messageBody(1), { 'anthropic-version': '2023-06-01' })).status,
        200,
      );
      const bearer = await post(sim, '/v1/messages', messageBody(1), {
        'x-api-key': '',
        authorization: `Bearer ${KEY1}`,
        'anthropic-version': '2026-10-21',
      });
      assert.equal(bearer.status, 200);
      const message = await client(sim).messages.create(messageBody(1) as never);
      assert.equal(message.usage.input_tokens, 1);
      const pinned = new Anthropic({
        apiKey: KEY1,
        baseURL: sim.url,
        maxRetries: 0,
        defaultHeaders: { 'anthropic-version': '2023-06-01' },
      });
      assert.equal((await pinned.messages.create(messageBody(1) as never)).usage.output_tokens, 10);
    });
  });

  void it('rejects unknown keys with the wording of each scheme', async () => {
    await withSim(testConfig(), async (sim) => {
      const viaHeader = await post(sim, '/v1/messages', messageBody(1), { 'x-api-key': 'sk-ant-sim-nobody' });
      assert.equal(viaHeader.status, 401);
      assert.deepEqual((await errorOf(viaHeader)).error, {
        type: 'authentication_error',
        message: 'invalid x-api-key',
      });
      assert.equal(viaHeader.headers.get('anthropic-organization-id'), null);
      const error = await rejectionOf(
        client(sim, 'sk-ant-sim-nobody').messages.create(messageBody(1) as never),
      );
      assert.ok(error instanceof Anthropic.AuthenticationError);
      assert.equal(error.apiMessage, 'Invalid bearer token');
      const missing = await post(sim, '/v1/messages', messageBody(1), { 'x-api-key': '' });
      assert.deepEqual((await errorOf(missing)).error, {
        type: 'authentication_error',
        message: 'x-api-key header is required',
      });
    });
  });

  void it('requires a known anthropic-version', async () => {
    await withSim(testConfig(), async (sim) => {
      const missing = await fetch(`${sim.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': KEY1 },
        body: JSON.stringify(messageBody(1)),
      });
      assert.equal(missing.status, 400);
      assert.deepEqual((await errorOf(missing)).error, {
        type: 'invalid_request_error',
        message: 'anthropic-version: header is required',
      });
      assert.equal(missing.headers.get('anthropic-organization-id'), ORG1);
      const unknown = await post(sim, '/v1/messages', messageBody(1), { 'anthropic-version': '2024-01-01' });
      assert.equal(
        (await errorOf(unknown)).error.message,
        'anthropic-version: "2024-01-01" is not a valid version',
      );
    });
  });

  void it('under 2026-10-21 rejects temperature, top_p and top_k; 2023-06-01 accepts them', async () => {
    await withSim(testConfig(), async (sim) => {
      for (const param of ['temperature', 'top_p', 'top_k']) {
        const error = await rejectionOf(
          client(sim).messages.create(messageBody(1, { [param]: 0.5 }) as never),
        );
        assert.ok(error instanceof Anthropic.BadRequestError);
        assert.equal(
          error.apiMessage,
          `${param}: Extra inputs are not permitted (removed in anthropic-version 2026-10-21)`,
        );
      }
      assert.equal((await post(sim, '/v1/messages', messageBody(1, { temperature: 0.5 }))).status, 200);
    });
  });
});

void describe('validation and routes', () => {
  void it('requires model, messages and max_tokens', async () => {
    await withSim(testConfig(), async (sim) => {
      const cases: [Record<string, unknown>, string][] = [
        [{ max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, 'model: Field required'],
        [{ model: SONNET, max_tokens: 5 }, 'messages: Field required'],
        [{ model: SONNET, max_tokens: 5, messages: [] }, 'messages: at least one message is required'],
        [
          { model: SONNET, max_tokens: 5, messages: [{ role: 'system', content: 'hi' }] },
          "messages.0.role: Input should be 'user' or 'assistant'",
        ],
        [{ model: SONNET, messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens: Field required'],
        [
          { model: SONNET, max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] },
          'max_tokens: Input should be greater than or equal to 1',
        ],
        [
          { model: SONNET, max_tokens: 2.5, messages: [{ role: 'user', content: 'hi' }] },
          'max_tokens: Input should be a valid integer',
        ],
      ];
      for (const [body, message] of cases) {
        const res = await post(sim, '/v1/messages', body);
        assert.equal(res.status, 400, message);
        assert.deepEqual((await errorOf(res)).error, { type: 'invalid_request_error', message });
      }
      // With the model known, even a 400 reports the buckets (untouched).
      const noMaxTokens = await post(sim, '/v1/messages', {
        model: SONNET,
        messages: [{ role: 'user', content: 'hi' }],
      });
      assert.equal(noMaxTokens.headers.get('anthropic-ratelimit-requests-remaining'), '60');
      assert.equal(noMaxTokens.headers.get('anthropic-ratelimit-input-tokens-remaining'), '60000');
      const noModel = await post(sim, '/v1/messages', { max_tokens: 5, messages: [] });
      assert.equal(noModel.headers.get('anthropic-ratelimit-requests-remaining'), null);
      const notJson = await post(sim, '/v1/messages', '{"model":');
      assert.equal((await errorOf(notJson)).error.message, 'The request body is not valid JSON.');
      assert.equal(sim.stats().tokensDebited[ORG1], undefined);
    });
  });

  void it('answers 413 request_too_large above maxBodyBytes', async () => {
    await withSim(testConfig({ maxBodyBytes: 2000 }), async (sim) => {
      const res = await post(sim, '/v1/messages', messageBody(600));
      assert.equal(res.status, 413);
      assert.deepEqual((await errorOf(res)).error, {
        type: 'request_too_large',
        message: 'Request exceeds the maximum allowed number of bytes.',
      });
      const error = await rejectionOf(client(sim).messages.create(messageBody(600) as never));
      assert.ok(error instanceof Anthropic.ContentTooLargeError);
      assert.equal((await post(sim, '/v1/messages', messageBody(100))).status, 200);
    });
  });

  void it('answers anything else with a 404 not_found_error envelope', async () => {
    await withSim(testConfig(), async (sim) => {
      for (const [method, path] of [
        ['GET', '/v1/messages'],
        ['POST', '/v1/complete'],
        ['GET', '/'],
      ] as const) {
        const res = await fetch(`${sim.url}${path}`, { method, headers: { 'x-api-key': KEY1 } });
        assert.equal(res.status, 404);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.equal(res.headers.get('anthropic-organization-id'), ORG1);
        assert.deepEqual((await errorOf(res)).error, {
          type: 'not_found_error',
          message: 'The requested resource could not be found.',
        });
      }
    });
  });

  void it('a client hanging up mid-upload is recorded, not answered', async () => {
    await withSim(testConfig(), async (sim) => {
      const req = request(`${sim.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': KEY1, 'anthropic-version': '2023-06-01', 'content-length': '1000' },
      });
      req.on('error', () => undefined);
      req.write('{"model":');
      await waitUntil(() => sim.stats().records.length === 1, { what: 'the request to arrive' });
      req.destroy();
      await waitUntil(() => sim.stats().records[0]!.outcome === 'client_closed', {
        what: 'the hang-up to be recorded',
      });
      assert.deepEqual(sim.stats().responsesByStatus, {});
    });
  });

  void it('close() ends open streams and resolves', async () => {
    const config = testConfig({ reply: { minOutputTokens: 10, maxOutputTokens: 10, tokensPerSecond: 1 } });
    await withSim(config, async (sim, clock) => {
      const res = await post(sim, '/v1/messages', messageBody(1, { stream: true }));
      assert.equal(res.status, 200);
      const reading = res.text().catch((error: unknown) => error);
      await sim.close();
      assert.ok((await reading) instanceof Error);
      assert.equal(clock.pendingTimers, 0);
    });
  });
});
