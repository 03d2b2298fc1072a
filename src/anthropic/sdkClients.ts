import Anthropic from '@anthropic-ai/sdk';
import { noRedirectFetch } from './noRedirectFetch';

/** Where the transport and the SDK report problems; messages never contain a key. */
export interface TransportLogger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** Settings shared by every SDK client the transport builds. */
export interface SdkClientSettings {
  /** Applies to the wait for response headers only; the SDK does not time streamed bodies. */
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly logger?: TransportLogger;
}

interface CacheEntry {
  readonly baseUrl: string;
  readonly secret: string;
  readonly client: Anthropic;
}

/** One SDK client per stored key, rebuilt when the key's secret or the base URL changes. */
export class SdkClientCache {
  readonly #settings: SdkClientSettings;
  readonly #entries = new Map<string, CacheEntry>();

  constructor(settings: SdkClientSettings) {
    this.#settings = settings;
  }

  /** The client for `keyId` built for exactly this base URL and secret. */
  clientFor(keyId: string, baseUrl: string, secret: string): Anthropic {
    const cached = this.#entries.get(keyId);
    if (cached !== undefined && cached.baseUrl === baseUrl && cached.secret === secret) return cached.client;
    const client = this.#build(baseUrl, secret);
    this.#entries.set(keyId, { baseUrl, secret, client });
    return client;
  }

  /** Drops the client of a removed key, so its secret is no longer held. */
  forget(keyId: string): void {
    this.#entries.delete(keyId);
  }

  /** Drops every client. */
  clear(): void {
    this.#entries.clear();
  }

  /** How many clients are cached (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  #build(baseUrl: string, secret: string): Anthropic {
    const { timeoutMs, fetch, logger } = this.#settings;
    return new Anthropic({
      apiKey: secret,
      baseURL: baseUrl,
      // The scheduler owns every retry; SDK retries would hide 429s and double the request count.
      maxRetries: 0,
      timeout: timeoutMs,
      fetch: noRedirectFetch(fetch),
      logger: logger === undefined ? undefined : toSdkLogger(logger),
      // Debug and info logs carry request details; warnings and errors are all we forward.
      logLevel: logger === undefined ? 'off' : 'warn',
    });
  }
}

function toSdkLogger(
  logger: TransportLogger,
): NonNullable<ConstructorParameters<typeof Anthropic>[0]>['logger'] {
  const ignore = (): void => {};
  return {
    warn: (message, ...details) => logger.warn(message, ...details),
    error: (message, ...details) => logger.error(message, ...details),
    info: ignore,
    debug: ignore,
  };
}
