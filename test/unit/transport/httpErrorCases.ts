// The HTTP error responses of httpErrors.test.ts and the AttemptError each must become.
import type { AttemptError } from '../../../src/pacer/transport';
import { errorBody } from './wireServer';

/** One error response and the classification it must get. */
export interface StatusCase {
  readonly name: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  readonly expected: AttemptError;
}

/** Headers of a realistic 429. */
export const RATE_HEADERS = {
  'retry-after': '17',
  'x-should-retry': 'true',
  'request-id': 'req_429',
  'anthropic-ratelimit-input-tokens-remaining': '0',
};
const ITPM_MESSAGE =
  "This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: ef36bf5a, model: claude-sonnet-4-6).";

/** Every HTTP error status the transport distinguishes. */
export const STATUS_CASES: readonly StatusCase[] = [
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
