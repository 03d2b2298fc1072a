import type Anthropic from '@anthropic-ai/sdk';
import {
  type Attempt,
  type AttemptError,
  type AttemptOutcome,
  type Clock,
  type CountTokensOutcome,
  type CountTokensRequest,
  createSystemClock,
  type HeaderReader,
  type Transport,
  type Usage,
} from '../pacer/index';
import { AbortLink } from './abortLink';
import { classifyError, errorHeaders, MalformedResponseError, type FailureContext } from './classifyError';
import { idleMiddleware } from './idleMiddleware';
import { IdleWatch } from './idleWatch';
import { toCountTokensParams, toStreamingParams } from './requestParams';
import { SdkClientCache, type TransportLogger } from './sdkClients';
import { StreamAccumulator } from './streamAccumulator';

/** Options of {@link createAnthropicTransport}. */
export interface AnthropicTransportOptions {
  /** API origin such as `https://api.anthropic.com`; a function is read per request (for the key it sends), so a changed setting applies at once. */
  readonly baseUrl: string | ((keyId: string) => string);
  /** Looks up a stored key's secret; undefined when the key was removed. */
  readonly secretFor: (keyId: string) => string | undefined;
  /** Milliseconds to wait for response headers (the body is covered by `streamIdleTimeoutMs`). */
  readonly timeoutMs: number;
  /** When given, read per request instead of `timeoutMs`, so a changed setting applies at once. */
  readonly currentTimeoutMs?: () => number;
  /**
   * Milliseconds a response may go without sending a byte once its headers arrived; then the attempt
   * is abandoned as `timeout` (mid-stream for a started stream, partial text kept). The SDK's own
   * timeout ends at the headers, so without this a stalled stream would never end.
   * @default 60000
   */
  readonly streamIdleTimeoutMs?: number;
  /** Time source of the idle timer. @default createSystemClock() */
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly logger?: TransportLogger;
}

/** The SDK-backed transport, plus token counting and cleanup. */
export interface AnthropicTransport extends Transport {
  /** Calls the free count_tokens endpoint once; resolves (never rejects) with one outcome. */
  countTokens(request: CountTokensRequest): Promise<CountTokensOutcome>;
  /** Lists the models the key can use (`GET /v1/models`, every page); resolves (never rejects). */
  listModels(keyId: string, signal?: AbortSignal): Promise<ModelListOutcome>;
  /** Drops the cached client of a removed key. */
  forgetKey(keyId: string): void;
  /** Aborts requests in flight (they resolve as `aborted`) and drops every client. */
  dispose(): void;
}

/** The raw entries of `GET /v1/models` (untrusted JSON, read by the caller), or why there are none. */
export type ModelListOutcome =
  | { readonly kind: 'success'; readonly models: readonly unknown[] }
  | { readonly kind: 'failure'; readonly error: AttemptError };

/** Pages of the model list read at most; the real list fits in one. */
const MAX_MODEL_PAGES = 5;

/** Default of `streamIdleTimeoutMs`. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

const DISPOSED = 'The transport was disposed.';
// Header values must be visible ASCII; anything else makes fetch throw an error that quotes the value.
const SENDABLE_SECRET = /^[\x21-\x7e]+$/;
const NO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
};

/**
 * Creates the transport that sends each attempt as exactly one streamed Messages request through
 * `@anthropic-ai/sdk` (SDK retries off). `onHeaders` fires for 200 responses only; error responses
 * carry their headers (`retry-after`, rate-limit headers) in the failure outcome.
 */
export function createAnthropicTransport(options: AnthropicTransportOptions): AnthropicTransport {
  assertPositive('timeoutMs', options.timeoutMs);
  if (options.streamIdleTimeoutMs !== undefined)
    assertPositive('streamIdleTimeoutMs', options.streamIdleTimeoutMs);
  return new SdkTransport(options);
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`Expected ${name} to be a positive number, got \`${value}\` (${typeof value})`);
  }
}

type ResolvedClient =
  { readonly client: Anthropic; readonly secret: string } | { readonly error: AttemptError };

class SdkTransport implements AnthropicTransport {
  readonly #options: AnthropicTransportOptions;
  readonly #clients: SdkClientCache;
  readonly #clock: Clock;
  readonly #idleMs: number;
  readonly #inFlight = new Set<AbortLink>();
  #isDisposed = false;

  constructor(options: AnthropicTransportOptions) {
    this.#options = options;
    this.#clients = new SdkClientCache(options);
    this.#clock = options.clock ?? createSystemClock();
    this.#idleMs = options.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  }

  async send(attempt: Attempt): Promise<AttemptOutcome> {
    const accumulator = new StreamAccumulator((delta) => this.#notify('onText', () => attempt.onText(delta)));
    const link = this.#open(attempt.signal);
    const watch = this.#watch(link);
    let secret: string | undefined;
    let headers: HeaderReader | undefined;
    try {
      link.signal.throwIfAborted();
      const resolved = this.#resolveClient(attempt.keyId);
      if ('error' in resolved) return { kind: 'failure', error: resolved.error, partialText: '' };
      secret = resolved.secret;

      const { data: stream, response } = await resolved.client.messages
        .create(toStreamingParams(attempt.request), {
          signal: link.signal,
          timeout: this.#timeoutMs(),
          middleware: [idleMiddleware(watch)],
        })
        .withResponse();
      headers = response.headers;
      const onHeaders = attempt.onHeaders;
      if (onHeaders !== undefined) this.#notify('onHeaders', () => onHeaders(response.headers));
      const contentType = response.headers.get('content-type');
      if (contentType !== null && !contentType.includes('text/event-stream')) {
        stream.controller.abort();
        throw new MalformedResponseError(`expected an event stream, got content-type ${contentType}`);
      }

      for await (const event of stream) {
        accumulator.accept(event);
        // Stop reading at message_stop: a server that keeps the connection open must not hang us.
        if (accumulator.isComplete) break;
      }
      if (!accumulator.isComplete) {
        // The SDK ends the iteration quietly when it is aborted, so an early end may be our own abort
        // (a cancellation, or the idle timeout: the catch below tells them apart).
        link.signal.throwIfAborted();
        const error = {
          kind: 'connection',
          message: 'The stream ended before message_stop.',
          midStream: true,
        } as const;
        return failure(error, accumulator, headers);
      }
      const serverRequestId = response.headers.get('request-id');
      return {
        kind: 'success',
        text: accumulator.text,
        usage: accumulator.usage ?? NO_USAGE,
        stopReason: accumulator.stopReason,
        ...(serverRequestId !== null && { serverRequestId }),
        headers: response.headers,
        content: accumulator.content,
      };
    } catch (error) {
      const context = this.#failureContext(link, headers !== undefined, secret);
      return failure(classifyError(error, context), accumulator, errorHeaders(error) ?? headers);
    } finally {
      watch.stop();
      this.#close(link);
    }
  }

  async countTokens(request: CountTokensRequest): Promise<CountTokensOutcome> {
    const link = this.#open(request.signal);
    const watch = this.#watch(link);
    let secret: string | undefined;
    let call: ReturnType<Anthropic['messages']['countTokens']> | undefined;
    try {
      link.signal.throwIfAborted();
      const resolved = this.#resolveClient(request.keyId);
      if ('error' in resolved) return { kind: 'failure', error: resolved.error };
      secret = resolved.secret;

      call = resolved.client.messages.countTokens(toCountTokensParams(request), {
        signal: link.signal,
        timeout: this.#timeoutMs(),
        middleware: [idleMiddleware(watch)],
      });
      const { data, response } = await call.withResponse();
      const inputTokens: unknown = (data as { input_tokens?: unknown } | null | undefined)?.input_tokens;
      if (typeof inputTokens !== 'number' || !Number.isFinite(inputTokens) || inputTokens < 0) {
        throw new MalformedResponseError('count_tokens returned no input_tokens');
      }
      return { kind: 'success', inputTokens, headers: response.headers };
    } catch (error) {
      // A 200 whose body failed to parse still has headers worth returning (e.g. the organization id).
      const headers = errorHeaders(error) ?? (await call?.asResponse().catch(() => undefined))?.headers;
      const classified = classifyError(error, this.#failureContext(link, false, secret));
      return { kind: 'failure', error: classified, ...(headers !== undefined && { headers }) };
    } finally {
      watch.stop();
      this.#close(link);
    }
  }

  async listModels(keyId: string, signal?: AbortSignal): Promise<ModelListOutcome> {
    const link = this.#open(signal);
    let secret: string | undefined;
    try {
      const resolved = this.#resolveClient(keyId);
      if ('error' in resolved) return { kind: 'failure', error: resolved.error };
      secret = resolved.secret;
      const models: unknown[] = [];
      let page = await resolved.client.models.list(
        { limit: 100 },
        { signal: link.signal, timeout: this.#timeoutMs() },
      );
      for (let n = 1; ; n++) {
        models.push(...page.getPaginatedItems());
        if (n >= MAX_MODEL_PAGES || !page.hasNextPage()) break;
        page = await page.getNextPage();
      }
      return { kind: 'success', models };
    } catch (error) {
      return {
        kind: 'failure',
        error: classifyError(error, this.#failureContext(link, false, secret)),
      };
    } finally {
      this.#close(link);
    }
  }

  forgetKey(keyId: string): void {
    this.#clients.forget(keyId);
  }

  dispose(): void {
    this.#isDisposed = true;
    for (const link of this.#inFlight) link.abort(DISPOSED);
    this.#clients.clear();
  }

  /** An idle watch that abandons the attempt behind `link` when its response goes quiet. */
  #timeoutMs(): number {
    const current = this.#options.currentTimeoutMs?.();
    return current !== undefined && Number.isFinite(current) && current > 0
      ? current
      : this.#options.timeoutMs;
  }

  #watch(link: AbortLink): IdleWatch {
    return new IdleWatch(this.#clock, this.#idleMs, () => link.abortStalled());
  }

  #failureContext(link: AbortLink, afterHeaders: boolean, secret: string | undefined): FailureContext {
    return {
      afterHeaders,
      ...(secret !== undefined && { secret }),
      timeoutMs: this.#timeoutMs(),
      ...(link.reason !== undefined && { abortReason: link.reason }),
      ...(link.isStalled && { stalledAfterMs: this.#idleMs }),
    };
  }

  #open(signal: AbortSignal | undefined): AbortLink {
    const link = new AbortLink(signal);
    if (this.#isDisposed) link.abort(DISPOSED);
    this.#inFlight.add(link);
    return link;
  }

  #close(link: AbortLink): void {
    link.release();
    this.#inFlight.delete(link);
  }

  #resolveClient(keyId: string): ResolvedClient {
    let secret: string | undefined;
    try {
      secret = this.#options.secretFor(keyId);
    } catch (error) {
      this.#options.logger?.error(`Reading API key "${keyId}" failed.`, error);
      return { error: { kind: 'auth', message: `API key "${keyId}" could not be read.`, midStream: false } };
    }
    if (secret === undefined || secret === '') {
      this.#clients.forget(keyId);
      return {
        error: { kind: 'auth', message: `API key "${keyId}" is no longer stored.`, midStream: false },
      };
    }
    if (!SENDABLE_SECRET.test(secret)) {
      const message = `API key "${keyId}" contains characters that cannot be sent in an HTTP header.`;
      return { error: { kind: 'auth', message, midStream: false } };
    }
    const { baseUrl } = this.#options;
    const url = typeof baseUrl === 'string' ? baseUrl : baseUrl(keyId);
    return { client: this.#clients.clientFor(keyId, url, secret), secret };
  }

  /** Runs a caller callback; a throwing listener is logged and must not break the stream. */
  #notify(name: string, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#options.logger?.error(`The attempt's ${name} listener threw.`, error);
    }
  }
}

function failure(
  error: AttemptError,
  accumulator: StreamAccumulator,
  headers: HeaderReader | undefined,
): AttemptOutcome {
  const partialUsage = accumulator.usage;
  return {
    kind: 'failure',
    error,
    partialText: accumulator.text,
    ...(partialUsage !== undefined && { partialUsage }),
    ...(headers !== undefined && { headers }),
  };
}
