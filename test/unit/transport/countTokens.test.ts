import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CountTokensRequest } from '../../../src/pacer/transport';
import { errorBody, KEY_ID, REQUEST, SECRET, useWireServer, transportFor, writeJson } from './wireServer';

const COUNT_REQUEST: CountTokensRequest = {
  keyId: KEY_ID,
  model: REQUEST.model,
  messages: REQUEST.messages,
  system: 'Be brief.',
};
const ORG_ID = '997c7200-d1d1-48e0-9156-c3267149fc5a';

void describe('AnthropicTransport.countTokens', () => {
  const wire = useWireServer();

  void it('returns the input tokens and the headers, and sends the prompt without max_tokens', async () => {
    wire.server.handle((res) =>
      writeJson(res, 200, { input_tokens: 2188 }, { 'anthropic-organization-id': ORG_ID }),
    );

    const outcome = await transportFor(wire.server).countTokens(COUNT_REQUEST);

    assert.equal(outcome.kind, 'success');
    assert.equal(outcome.inputTokens, 2188);
    assert.equal(outcome.headers.get('anthropic-organization-id'), ORG_ID);
    const [received] = wire.server.requests;
    assert.equal(received?.path, '/v1/messages/count_tokens');
    assert.equal(received?.headers.authorization, `Bearer ${SECRET}`);
    assert.deepEqual(JSON.parse(received?.body ?? ''), {
      model: REQUEST.model,
      messages: [{ role: 'user', content: 'Say hello.' }],
      system: 'Be brief.',
    });
  });

  void it('classifies a 429 like send does, with its headers and one request', async () => {
    wire.server.handle((res) =>
      writeJson(res, 429, errorBody('rate_limit_error', 'Rate limited'), {
        'retry-after': '3',
        'x-should-retry': 'true',
      }),
    );

    const outcome = await transportFor(wire.server).countTokens(COUNT_REQUEST);

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'rate_limited',
      status: 429,
      type: 'rate_limit_error',
      message: 'Rate limited',
      midStream: false,
    });
    assert.equal(outcome.headers?.get('retry-after'), '3');
    assert.equal(wire.server.requests.length, 1);
  });

  void it('classifies a 401 as auth', async () => {
    wire.server.handle((res) => writeJson(res, 401, errorBody('authentication_error', 'invalid x-api-key')));

    const outcome = await transportFor(wire.server).countTokens(COUNT_REQUEST);

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'auth');
    assert.equal(JSON.stringify(outcome).includes(SECRET), false);
  });

  void it('reports an invalid JSON body as malformed_response and still returns the headers', async () => {
    wire.server.handle((res) =>
      writeJson(res, 200, '{"input_tokens": 12', { 'anthropic-organization-id': ORG_ID }),
    );

    const outcome = await transportFor(wire.server).countTokens(COUNT_REQUEST);

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'malformed_response');
    assert.equal(outcome.error.midStream, false);
    assert.equal(outcome.headers?.get('anthropic-organization-id'), ORG_ID);
  });

  void it('reports a body without input_tokens as malformed_response', async () => {
    wire.server.handle((res) => writeJson(res, 200, { tokens: 12 }));

    const outcome = await transportFor(wire.server).countTokens(COUNT_REQUEST);

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'malformed_response',
      message: 'The response is not valid Messages API output (count_tokens returned no input_tokens).',
      midStream: false,
    });
  });

  void it('fails with auth and sends nothing for an unknown key', async () => {
    const outcome = await transportFor(wire.server).countTokens({ ...COUNT_REQUEST, keyId: 'key-gone' });

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'auth');
    assert.equal(wire.server.requests.length, 0);
  });

  void it('returns aborted when the signal fires before the answer', async () => {
    const controller = new AbortController();
    wire.server.handle(() => controller.abort());

    const outcome = await transportFor(wire.server).countTokens({
      ...COUNT_REQUEST,
      signal: controller.signal,
    });

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'aborted',
      message: 'The request was cancelled.',
      midStream: false,
    });
  });
});
