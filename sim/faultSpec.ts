import { ConfigError, array, at, number, object, oneOf, optional, string } from './validate';

/** Faults that need no parameters. */
export type SimpleFaultKind =
  | 'overloaded'
  | 'api_error'
  | 'timeout_error'
  | 'permission_error'
  | 'connection_reset'
  | 'malformed_json'
  | 'missing_rate_limit_headers'
  | 'garbage_rate_limit_headers';

/** What a fault does to the request it hits. */
export type FaultAction =
  | { readonly kind: SimpleFaultKind }
  | { readonly kind: 'spend_limit'; readonly regainOn?: string }
  | { readonly kind: 'ramp_limit'; readonly retryAfterSec: number }
  | { readonly kind: 'key_revoked'; readonly afterRequests: number }
  | { readonly kind: 'request_too_large'; readonly overBytes: number }
  | { readonly kind: 'prompt_too_long'; readonly maxTokens: number }
  | { readonly kind: 'delay_headers'; readonly delayMs: number }
  | { readonly kind: 'stream_error'; readonly afterDeltas: number; readonly errorType: StreamErrorType }
  | { readonly kind: 'stream_close' | 'malformed_sse'; readonly afterDeltas: number }
  | { readonly kind: 'absurd_retry_after'; readonly variant: AbsurdRetryAfter };

/** The error type sent in a mid-stream `event: error`. */
export type StreamErrorType = 'overloaded_error' | 'rate_limit_error';

/** Which nonsense `retry-after` value a 429 carries. */
export type AbsurdRetryAfter = 'negative' | 'huge' | 'past_date';

/** When a fault fires: every given condition must hold. */
export interface FaultTrigger {
  /** 1-based numbers of requests to POST /v1/messages (all keys counted together). */
  readonly onRequest?: readonly number[];
  /** Only requests made with this key. */
  readonly key?: string;
  /** Chance per eligible request, rolled on the seeded generator. */
  readonly probability?: number;
  /** Fires at most this many times. */
  readonly times?: number;
}

/** A scripted fault: an action and its trigger. */
export type Fault = FaultAction & FaultTrigger;

/** Every fault kind, in documentation order. */
export const faultKinds = [
  'overloaded',
  'api_error',
  'timeout_error',
  'spend_limit',
  'ramp_limit',
  'key_revoked',
  'permission_error',
  'request_too_large',
  'prompt_too_long',
  'connection_reset',
  'delay_headers',
  'stream_error',
  'stream_close',
  'malformed_sse',
  'malformed_json',
  'missing_rate_limit_headers',
  'garbage_rate_limit_headers',
  'absurd_retry_after',
] as const;

const triggerFields = ['kind', 'onRequest', 'key', 'probability', 'times'];
const countRule = { min: 0, integer: true };

function parseTrigger(o: Readonly<Record<string, unknown>>, path: string): FaultTrigger {
  const onRequest =
    o.onRequest === undefined
      ? undefined
      : (Array.isArray(o.onRequest) ? array(o.onRequest, at(path, 'onRequest')) : [o.onRequest]).map((n, i) =>
          number(n, Array.isArray(o.onRequest) ? at(at(path, 'onRequest'), i) : at(path, 'onRequest'), {
            min: 1,
            integer: true,
          }),
        );
  const key = optional(o.key, undefined, (v) =>
    string(v, at(path, 'key'), /^sk-ant-sim-/, 'a key starting with "sk-ant-sim-"'),
  );
  const probability = optional(o.probability, undefined, (v) =>
    number(v, at(path, 'probability'), { min: 0, max: 1 }),
  );
  const times = optional(o.times, undefined, (v) => number(v, at(path, 'times'), { min: 1, integer: true }));
  return {
    ...(onRequest && { onRequest }),
    ...(key !== undefined && { key }),
    ...(probability !== undefined && { probability }),
    ...(times !== undefined && { times }),
  };
}

function parseAction(o: Readonly<Record<string, unknown>>, path: string): FaultAction {
  const kind = oneOf(o.kind, at(path, 'kind'), faultKinds);
  const only = (...extra: string[]): Readonly<Record<string, unknown>> =>
    object(o, path, [...triggerFields, ...extra]);
  switch (kind) {
    case 'spend_limit': {
      const regainOn = optional(only('regainOn').regainOn, undefined, (v) =>
        string(v, at(path, 'regainOn'), /^\d{4}-\d{2}-\d{2}$/, 'a date like "2026-09-01"'),
      );
      return regainOn === undefined ? { kind } : { kind, regainOn };
    }
    case 'ramp_limit':
      return {
        kind,
        retryAfterSec: optional(only('retryAfterSec').retryAfterSec, 5, (v) =>
          number(v, at(path, 'retryAfterSec'), countRule),
        ),
      };
    case 'key_revoked':
      if (o.key === undefined) throw new ConfigError(at(path, 'key'), 'is required for kind "key_revoked"');
      return {
        kind,
        afterRequests: optional(only('afterRequests').afterRequests, 0, (v) =>
          number(v, at(path, 'afterRequests'), countRule),
        ),
      };
    case 'request_too_large':
      return {
        kind,
        overBytes: optional(only('overBytes').overBytes, 0, (v) =>
          number(v, at(path, 'overBytes'), countRule),
        ),
      };
    case 'prompt_too_long':
      return {
        kind,
        maxTokens: optional(only('maxTokens').maxTokens, 200_000, (v) =>
          number(v, at(path, 'maxTokens'), countRule),
        ),
      };
    case 'delay_headers':
      return {
        kind,
        delayMs: optional(only('delayMs').delayMs, 30_000, (v) => number(v, at(path, 'delayMs'), { min: 0 })),
      };
    case 'stream_error': {
      const f = only('afterDeltas', 'errorType');
      return {
        kind,
        afterDeltas: optional(f.afterDeltas, 0, (v) => number(v, at(path, 'afterDeltas'), countRule)),
        errorType: optional(f.errorType, 'overloaded_error', (v) =>
          oneOf(v, at(path, 'errorType'), ['overloaded_error', 'rate_limit_error'] as const),
        ),
      };
    }
    case 'stream_close':
    case 'malformed_sse':
      return {
        kind,
        afterDeltas: optional(only('afterDeltas').afterDeltas, 0, (v) =>
          number(v, at(path, 'afterDeltas'), countRule),
        ),
      };
    case 'absurd_retry_after':
      return {
        kind,
        variant: oneOf(only('variant').variant, at(path, 'variant'), [
          'negative',
          'huge',
          'past_date',
        ] as const),
      };
    default:
      only();
      return { kind };
  }
}

/** Validates one fault; errors name the field under `path` (e.g. `faults[2].afterDeltas`). */
export function parseFault(raw: unknown, path: string): Fault {
  const o = object(raw, path, [
    ...triggerFields,
    'regainOn',
    'retryAfterSec',
    'afterRequests',
    'overBytes',
    'maxTokens',
    'delayMs',
    'afterDeltas',
    'errorType',
    'variant',
  ]);
  return { ...parseAction(o, path), ...parseTrigger(o, path) };
}

/** Validates a list of faults under `path`. */
export function parseFaults(raw: unknown, path: string): Fault[] {
  return array(raw, path).map((f, i) => parseFault(f, at(path, i)));
}
