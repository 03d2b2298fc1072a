// The simulator faults of transport.contract.test.ts and the AttemptError each must become.
import type { AttemptErrorKind } from '../../src/pacer/transport';
import type { Fault } from '../../sim/simulator';

/** A key the `key_revoked` fault revokes for good, so it gets its own. */
export const REVOKED_KEY = 'sk-ant-sim-contract-revoked';

/** One simulator fault and the classification the transport must give it. */
export interface FaultCase {
  readonly fault: Fault;
  readonly kind: AttemptErrorKind;
  readonly status?: number;
  readonly type?: string;
  readonly errorCode?: string;
  readonly midStream: boolean;
  /** Expected `retry-after` header; null asserts it is absent, undefined skips the check. */
  readonly retryAfter?: string | null;
  readonly keyId?: string;
}

/** Every fault the simulator offers that fails a streamed request. */
export const FAULT_CASES: readonly FaultCase[] = [
  {
    fault: { kind: 'overloaded' },
    kind: 'overloaded',
    status: 529,
    type: 'overloaded_error',
    midStream: false,
    retryAfter: null,
  },
  { fault: { kind: 'api_error' }, kind: 'server_error', status: 500, type: 'api_error', midStream: false },
  {
    fault: { kind: 'timeout_error' },
    kind: 'gateway_timeout',
    status: 504,
    type: 'timeout_error',
    midStream: false,
  },
  {
    fault: { kind: 'spend_limit', regainOn: '2026-12-01' },
    kind: 'spend_limit',
    status: 429,
    type: 'rate_limit_error',
    errorCode: 'enforced_spend_limit_reached',
    midStream: false,
    retryAfter: null,
  },
  {
    fault: { kind: 'ramp_limit', retryAfterSec: 7 },
    kind: 'ramp_limited',
    status: 429,
    type: 'rate_limit_error',
    errorCode: 'ramp_limit_exceeded',
    midStream: false,
    retryAfter: '7',
  },
  {
    fault: { kind: 'key_revoked', key: REVOKED_KEY, afterRequests: 0 },
    keyId: 'revoked',
    kind: 'auth',
    status: 401,
    type: 'authentication_error',
    midStream: false,
  },
  {
    fault: { kind: 'permission_error' },
    kind: 'permission',
    status: 403,
    type: 'permission_error',
    midStream: false,
  },
  {
    fault: { kind: 'request_too_large', overBytes: 0 },
    kind: 'too_large',
    status: 413,
    type: 'request_too_large',
    midStream: false,
  },
  {
    fault: { kind: 'prompt_too_long', maxTokens: 1 },
    kind: 'invalid_request',
    status: 400,
    type: 'invalid_request_error',
    midStream: false,
  },
  { fault: { kind: 'connection_reset' }, kind: 'connection', midStream: false },
  {
    fault: { kind: 'stream_error', afterDeltas: 3, errorType: 'overloaded_error' },
    kind: 'overloaded',
    type: 'overloaded_error',
    midStream: true,
  },
  {
    fault: { kind: 'stream_error', afterDeltas: 3, errorType: 'rate_limit_error' },
    kind: 'rate_limited',
    type: 'rate_limit_error',
    midStream: true,
  },
  { fault: { kind: 'stream_close', afterDeltas: 3 }, kind: 'connection', midStream: true },
  { fault: { kind: 'malformed_sse', afterDeltas: 3 }, kind: 'malformed_response', midStream: true },
  {
    fault: { kind: 'absurd_retry_after', variant: 'negative' },
    kind: 'rate_limited',
    status: 429,
    type: 'rate_limit_error',
    midStream: false,
    retryAfter: '-5',
  },
  {
    fault: { kind: 'absurd_retry_after', variant: 'huge' },
    kind: 'rate_limited',
    status: 429,
    type: 'rate_limit_error',
    midStream: false,
    retryAfter: '1000000000',
  },
];
