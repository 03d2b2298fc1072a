import {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { redactSecrets } from '../keys/model/apiKeyShape';
import type { AttemptError, AttemptErrorKind, HeaderReader } from '../pacer/index';
import { redirectTargetOf } from './noRedirectFetch';

/** Thrown by the transport itself when a 200 response does not follow the Messages protocol. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

/** What the transport knew when the failure happened. */
export interface FailureContext {
  /** True once a 200 response's headers had arrived (the failure is then mid-stream). */
  readonly afterHeaders: boolean;
  /** Set when the attempt's own signal (or the transport's disposal) fired. */
  readonly abortReason?: string;
  /** The client timeout, for the timeout message. */
  readonly timeoutMs: number;
  /** Set when the response was abandoned after going quiet for this many ms (the stream idle timeout). */
  readonly stalledAfterMs?: number;
  /** The key the attempt used: replaced in the message before it is clipped, so no part of it survives a cut. */
  readonly secret?: string;
}

const MAX_MESSAGE_CHARS = 1000;
const SPEND_LIMIT_CODES: ReadonlySet<string> = new Set([
  'enforced_spend_limit_reached',
  'contract_spend_limit_reached',
]);
const RAMP_LIMIT_CODE = 'ramp_limit_exceeded';

// Documented 400 messages that are really spend or billing problems; matched on their stable prefixes
// only, and a miss falls back to `invalid_request`, which is equally final for the scheduler.
const BAD_REQUEST_MESSAGE_KINDS: readonly (readonly [string, AttemptErrorKind])[] = [
  ['You have reached your specified', 'spend_limit'],
  ['Your credit balance is too low', 'billing'],
];

/**
 * Maps any error thrown while sending an attempt onto the closed `AttemptError` set; never throws.
 * The message holds no key: redacted first, then clipped to its maximum length.
 */
export function classifyError(error: unknown, context: FailureContext): AttemptError {
  const classified = classifyUnclipped(error, context);
  return { ...classified, message: clip(redacted(classified.message, context.secret)) };
}

function redacted(message: string, secret: string | undefined): string {
  const withoutStored =
    secret === undefined || secret === '' ? message : message.split(secret).join('[redacted]');
  return redactSecrets(withoutStored, []);
}

function classifyUnclipped(error: unknown, context: FailureContext): AttemptError {
  const midStream = context.afterHeaders;
  if (context.abortReason === undefined && context.stalledAfterMs !== undefined && !hasStatus(error)) {
    const message = `No data arrived for ${context.stalledAfterMs} ms after the response started.`;
    return { kind: 'timeout', message, midStream };
  }
  if (context.abortReason !== undefined || error instanceof APIUserAbortError || isAbortError(error)) {
    return { kind: 'aborted', message: context.abortReason ?? 'The request was cancelled.', midStream };
  }
  if (error instanceof APIConnectionTimeoutError) {
    const message = `No response headers arrived within the ${context.timeoutMs} ms timeout.`;
    return { kind: 'timeout', message, midStream: false };
  }
  if (error instanceof APIConnectionError) {
    return { kind: 'connection', message: `Could not reach the API (${describeCause(error)}).`, midStream };
  }
  if (error instanceof APIError) {
    const apiError = error as APIError;
    const status = apiError.status;
    return status === undefined ? classifyStreamError(apiError) : classifyStatusError(apiError, status);
  }
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) {
    const message = `The response is not valid Messages API output (${error.message}).`;
    return { kind: 'malformed_response', message, midStream };
  }
  if (error instanceof AnthropicError) {
    // The SDK raises bare AnthropicErrors for bodiless responses (after headers) or requests it refuses to build.
    return midStream
      ? { kind: 'malformed_response', message: error.message, midStream }
      : { kind: 'invalid_request', message: error.message, midStream };
  }
  if (midStream) {
    return { kind: 'connection', message: `The stream broke off (${describeCause(error)}).`, midStream };
  }
  return { kind: 'connection', message: `The request failed (${describeCause(error)}).`, midStream };
}

/** The headers of an error response, when the error carries them. */
export function errorHeaders(error: unknown): HeaderReader | undefined {
  return error instanceof APIError && error.headers instanceof Headers ? error.headers : undefined;
}

function classifyStatusError(error: APIError, status: number): AttemptError {
  if (status >= 300 && status < 400) {
    const target = redirectTargetOf(errorHeaders(error)?.get('location'));
    const message = `The endpoint redirected the request (HTTP ${status}) to ${target}. Claude Pacer never follows redirects, so nothing was sent there.`;
    return { kind: 'redirected', status, message, midStream: false };
  }
  const errorCode = error.errorCode ?? undefined;
  // A blank message says no more than a missing one: both get the explanatory fallback.
  const apiMessage = error.apiMessage?.trim() ? error.apiMessage : undefined;
  return compact({
    kind: kindForStatus(status, errorCode, apiMessage),
    status,
    type: error.type ?? undefined,
    message:
      apiMessage !== undefined ? apiMessage : `The API answered HTTP ${status} without an error message.`,
    errorCode,
    serverRequestId: serverRequestId(error),
    midStream: false,
  });
}

function classifyStreamError(error: APIError): AttemptError {
  const errorCode = error.errorCode ?? undefined;
  const type = error.type ?? undefined;
  return compact({
    kind: kindForStreamError(type, errorCode),
    type,
    message: error.apiMessage?.trim() ? error.apiMessage : 'The stream reported an error without a message.',
    errorCode,
    serverRequestId: serverRequestId(error),
    midStream: true,
  });
}

function kindForStatus(status: number, errorCode?: string, apiMessage?: string): AttemptErrorKind {
  const limitKind = kindForErrorCode(errorCode);
  if (status === 429) return limitKind ?? 'rate_limited';
  if (status === 529) return 'overloaded';
  if (status === 504) return 'gateway_timeout';
  if (status >= 500) return 'server_error';
  switch (status) {
    case 400:
      return (
        BAD_REQUEST_MESSAGE_KINDS.find(([prefix]) => apiMessage?.startsWith(prefix))?.[1] ?? 'invalid_request'
      );
    case 401:
      return 'auth';
    case 402:
      return 'billing';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 408:
      return 'timeout';
    case 413:
      return 'too_large';
  }
  // Redirects are classified before this; any other non-2xx status below 400 is not the API speaking.
  return status >= 400 ? 'invalid_request' : 'malformed_response';
}

function kindForStreamError(type?: string, errorCode?: string): AttemptErrorKind {
  const limitKind = kindForErrorCode(errorCode);
  if (limitKind !== undefined) return limitKind;
  if (type === 'overloaded_error') return 'overloaded';
  if (type === 'rate_limit_error') return 'rate_limited';
  return 'server_error';
}

function kindForErrorCode(errorCode?: string): AttemptErrorKind | undefined {
  if (errorCode === undefined) return undefined;
  if (SPEND_LIMIT_CODES.has(errorCode)) return 'spend_limit';
  if (errorCode === RAMP_LIMIT_CODE) return 'ramp_limited';
  return undefined;
}

function serverRequestId(error: APIError): string | undefined {
  if (typeof error.requestID === 'string' && error.requestID !== '') return error.requestID;
  const body: unknown = error.error;
  if (
    typeof body === 'object' &&
    body !== null &&
    'request_id' in body &&
    typeof body.request_id === 'string'
  ) {
    return body.request_id;
  }
  return undefined;
}

/** An HTTP error response (its status says more than a stalled body would). */
function hasStatus(error: unknown): boolean {
  return error instanceof APIError && error.status !== undefined;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Walks the `cause` chain for the most specific description (a system error code beats "fetch failed"). */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${code}: ${current.message}` : current.message);
    current = current.cause;
  }
  const specific = parts.filter((part) => part !== '' && !/^(Connection error\.|fetch failed)$/.test(part));
  return specific.at(-1) ?? parts[0] ?? String(error);
}

function clip(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/** Drops undefined optional fields so outcomes compare and serialise cleanly. */
function compact(error: AttemptError): AttemptError {
  return Object.fromEntries(
    Object.entries(error).filter(([, value]) => value !== undefined),
  ) as unknown as AttemptError;
}
