import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RATE_HEADERS, STATUS_CASES } from './httpErrorCases';
import { errorBody, recordingAttempt, SECRET, useWireServer, transportFor, writeJson } from './wireServer';

void describe('AnthropicTransport.send on HTTP error responses', () => {
  const wire = useWireServer();

  for (const testCase of STATUS_CASES) {
    void it(`classifies ${testCase.name} with exactly one request`, async () => {
      wire.server.handle((res) => writeJson(res, testCase.status, testCase.body, testCase.headers));
      const attempt = recordingAttempt();

      const outcome = await transportFor(wire.server).send(attempt);

      assert.equal(outcome.kind, 'failure');
      assert.deepEqual(outcome.error, testCase.expected);
      assert.equal(outcome.partialText, '');
      assert.equal(outcome.partialUsage, undefined);
      assert.equal(outcome.headers?.get('content-type'), 'application/json');
      assert.deepEqual(attempt.log, [], 'no onHeaders or onText for an error response');
      assert.equal(wire.server.requests.length, 1, 'the SDK must not retry');
    });
  }

  void it('passes the error response headers through so retry-after and rate-limit headers are readable', async () => {
    wire.server.handle((res) =>
      writeJson(res, 429, errorBody('rate_limit_error', 'Rate limited'), RATE_HEADERS),
    );

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.headers?.get('Retry-After'), '17');
    assert.equal(outcome.headers?.get('anthropic-ratelimit-input-tokens-remaining'), '0');
  });

  void it('takes the request id from the body when the header is missing', async () => {
    wire.server.handle((res) =>
      writeJson(res, 500, errorBody('api_error', 'Boom', { request_id: 'req_body_only' })),
    );

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.serverRequestId, 'req_body_only');
  });

  void it('clips a huge wire.server message', async () => {
    wire.server.handle((res) => writeJson(res, 400, errorBody('invalid_request_error', 'x'.repeat(50_000))));

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.message.length, 1000);
    assert.ok(outcome.error.message.endsWith('…'));
  });

  void it('redacts the secret when a wire.server echoes it back', async () => {
    wire.server.handle((res) =>
      writeJson(res, 401, errorBody('authentication_error', `invalid key ${SECRET} (Bearer ${SECRET})`), {
        'x-echo': 'nothing secret',
      }),
    );

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.message, 'invalid key [redacted] (Bearer [redacted])');
    assert.equal(JSON.stringify(outcome).includes(SECRET), false);
  });
});
