import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AttemptError } from '../../../src/core/transport';
import {
  errorBody,
  recordingAttempt,
  SECRET,
  startWireServer,
  transportFor,
  writeJson,
  type WireServer,
} from './wireServer';

interface StatusCase {
  readonly name: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  readonly expected: AttemptError;
}

const RATE_HEADERS = {
  'retry-after': '17',
  'x-should-retry': 'true',
  'request-id': 'req_429',
  'anthropic-ratelimit-input-tokens-remaining': '0',
};
const ITPM_MESSAGE =
  "This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: ef36bf5a, model: claude-sonnet-4-6).";

const CASES: readonly StatusCase[] = [
  {
    name: '429 rate limit',
    status: 429,
    headers: RATE_HEADERS,
    body: errorBody('rate_limit_error', ITPM_MESSAGE, { request_id: 'req_429' }),
    expected: {
      kind: 'rate_limited',
      status: 429,
      type: 'rate_limit_error',
      message: ITPM_MESSAGE,
      serverRequestId: 'req_429',
      midStream: false,
    },
  },
  {
    name: '429 with details null',
    status: 429,
    headers: { 'retry-after': '1' },
    body: errorBody('rate_limit_error', 'Rate limited', { details: null }),
    expected: {
      kind: 'rate_limited',
      status: 429,
      type: 'rate_limit_error',
      message: 'Rate limited',
      midStream: false,
    },
  },
  {
    name: '429 enforced spend limit',
    status: 429,
    headers: { 'request-id': 'req_spend' },
    body: errorBody('rate_limit_error', 'You have reached your API usage limits.', {
      details: { error_code: 'enforced_spend_limit_reached' },
    }),
    expected: {
      kind: 'spend_limit',
      status: 429,
      type: 'rate_limit_error',
      message: 'You have reached your API usage limits.',
      errorCode: 'enforced_spend_limit_reached',
      serverRequestId: 'req_spend',
      midStream: false,
    },
  },
  {
    name: '429 contract spend limit',
    status: 429,
    body: errorBody('rate_limit_error', 'Contract limit.', {
      details: { error_code: 'contract_spend_limit_reached' },
    }),
    expected: {
      kind: 'spend_limit',
      status: 429,
      type: 'rate_limit_error',
      message: 'Contract limit.',
      errorCode: 'contract_spend_limit_reached',
      midStream: false,
    },
  },
  {
    name: '429 ramp limit',
    status: 429,
    headers: { 'retry-after': '5' },
    body: errorBody('rate_limit_error', 'Ramp.', { details: { error_code: 'ramp_limit_exceeded' } }),
    expected: {
      kind: 'ramp_limited',
      status: 429,
      type: 'rate_limit_error',
      message: 'Ramp.',
      errorCode: 'ramp_limit_exceeded',
      midStream: false,
    },
  },
  {
    name: '429 with an unknown error code',
    status: 429,
    body: errorBody('rate_limit_error', 'New.', { details: { error_code: 'something_new' } }),
    expected: {
      kind: 'rate_limited',
      status: 429,
      type: 'rate_limit_error',
      message: 'New.',
      errorCode: 'something_new',
      midStream: false,
    },
  },
  {
    name: '529 overloaded',
    status: 529,
    headers: { 'x-should-retry': 'true' },
    body: errorBody('overloaded_error', 'Overloaded', { details: null, request_id: 'req_529' }),
    expected: {
      kind: 'overloaded',
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
      serverRequestId: 'req_529',
      midStream: false,
    },
  },
  {
    name: '500 api error',
    status: 500,
    body: errorBody('api_error', 'Internal server error'),
    expected: {
      kind: 'server_error',
      status: 500,
      type: 'api_error',
      message: 'Internal server error',
      midStream: false,
    },
  },
  {
    name: '503 with a non-JSON body',
    status: 503,
    body: '<html>Service Unavailable</html>',
    expected: {
      kind: 'server_error',
      status: 503,
      message: 'The API answered HTTP 503 without an error message.',
      midStream: false,
    },
  },
  {
    name: '504 gateway timeout',
    status: 504,
    body: errorBody('timeout_error', 'Request timed out'),
    expected: {
      kind: 'gateway_timeout',
      status: 504,
      type: 'timeout_error',
      message: 'Request timed out',
      midStream: false,
    },
  },
  {
    name: '400 invalid request',
    status: 400,
    body: errorBody('invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum'),
    expected: {
      kind: 'invalid_request',
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long: 208310 tokens > 200000 maximum',
      midStream: false,
    },
  },
  {
    name: '400 self-set spend limit',
    status: 400,
    body: errorBody('invalid_request_error', 'You have reached your specified workspace API usage limits.'),
    expected: {
      kind: 'spend_limit',
      status: 400,
      type: 'invalid_request_error',
      message: 'You have reached your specified workspace API usage limits.',
      midStream: false,
    },
  },
  {
    name: '400 credit balance too low',
    status: 400,
    body: errorBody('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
    expected: {
      kind: 'billing',
      status: 400,
      type: 'invalid_request_error',
      message: 'Your credit balance is too low to access the Anthropic API.',
      midStream: false,
    },
  },
  {
    name: '401 authentication',
    status: 401,
    body: errorBody('authentication_error', 'invalid x-api-key'),
    expected: {
      kind: 'auth',
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
      midStream: false,
    },
  },
  {
    name: '402 billing',
    status: 402,
    body: errorBody('billing_error', 'Payment required.'),
    expected: {
      kind: 'billing',
      status: 402,
      type: 'billing_error',
      message: 'Payment required.',
      midStream: false,
    },
  },
  {
    name: '403 permission',
    status: 403,
    body: errorBody('permission_error', 'No access.'),
    expected: {
      kind: 'permission',
      status: 403,
      type: 'permission_error',
      message: 'No access.',
      midStream: false,
    },
  },
  {
    name: '404 not found',
    status: 404,
    body: errorBody('not_found_error', 'The requested resource could not be found.'),
    expected: {
      kind: 'not_found',
      status: 404,
      type: 'not_found_error',
      message: 'The requested resource could not be found.',
      midStream: false,
    },
  },
  {
    name: '408 request timeout',
    status: 408,
    body: errorBody('timeout_error', 'Too slow.'),
    expected: { kind: 'timeout', status: 408, type: 'timeout_error', message: 'Too slow.', midStream: false },
  },
  {
    name: '409 conflict (an unlisted 4xx)',
    status: 409,
    headers: { 'x-should-retry': 'true' },
    body: errorBody('conflict_error', 'Conflict.'),
    expected: {
      kind: 'invalid_request',
      status: 409,
      type: 'conflict_error',
      message: 'Conflict.',
      midStream: false,
    },
  },
  {
    name: '413 too large',
    status: 413,
    body: errorBody('request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
    expected: {
      kind: 'too_large',
      status: 413,
      type: 'request_too_large',
      message: 'Request exceeds the maximum allowed number of bytes.',
      midStream: false,
    },
  },
];

void describe('AnthropicTransport.send on HTTP error responses', () => {
  let server: WireServer;
  before(async () => {
    server = await startWireServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  for (const testCase of CASES) {
    void it(`classifies ${testCase.name} with exactly one request`, async () => {
      server.handle((res) => writeJson(res, testCase.status, testCase.body, testCase.headers));
      const attempt = recordingAttempt();

      const outcome = await transportFor(server).send(attempt);

      assert.equal(outcome.kind, 'failure');
      assert.deepEqual(outcome.error, testCase.expected);
      assert.equal(outcome.partialText, '');
      assert.equal(outcome.partialUsage, undefined);
      assert.equal(outcome.headers?.get('content-type'), 'application/json');
      assert.deepEqual(attempt.log, [], 'no onHeaders or onText for an error response');
      assert.equal(server.requests.length, 1, 'the SDK must not retry');
    });
  }

  void it('passes the error response headers through so retry-after and rate-limit headers are readable', async () => {
    server.handle((res) => writeJson(res, 429, errorBody('rate_limit_error', 'Rate limited'), RATE_HEADERS));

    const outcome = await transportFor(server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.headers?.get('Retry-After'), '17');
    assert.equal(outcome.headers?.get('anthropic-ratelimit-input-tokens-remaining'), '0');
  });

  void it('takes the request id from the body when the header is missing', async () => {
    server.handle((res) =>
      writeJson(res, 500, errorBody('api_error', 'Boom', { request_id: 'req_body_only' })),
    );

    const outcome = await transportFor(server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.serverRequestId, 'req_body_only');
  });

  void it('clips a huge server message', async () => {
    server.handle((res) => writeJson(res, 400, errorBody('invalid_request_error', 'x'.repeat(50_000))));

    const outcome = await transportFor(server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.message.length, 1000);
    assert.ok(outcome.error.message.endsWith('…'));
  });

  void it('redacts the secret when a server echoes it back', async () => {
    server.handle((res) =>
      writeJson(res, 401, errorBody('authentication_error', `invalid key ${SECRET} (Bearer ${SECRET})`), {
        'x-echo': 'nothing secret',
      }),
    );

    const outcome = await transportFor(server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.message, 'invalid key [redacted] (Bearer [redacted])');
    assert.equal(JSON.stringify(outcome).includes(SECRET), false);
  });
});
