/** Where approved hosts are remembered: the extension's global state, never settings, so no workspace can pre-approve one. */
export interface ApprovedHostStore {
  /** Hosts approved so far. */
  get(): readonly string[];
  /** Replaces the approved hosts. */
  set(hosts: readonly string[]): PromiseLike<void>;
}

/** Options of {@link EndpointConsent}. */
export interface EndpointConsentOptions {
  readonly store: ApprovedHostStore;
  /** Asks the user whether keys may go to `host`; true only for an explicit yes. */
  readonly ask: (host: string, origin: string) => PromiseLike<boolean>;
  /** Hosts that need no question (the default endpoint, the simulator the user's own launcher started). */
  readonly isPreApproved: (url: URL) => boolean;
  /** Milliseconds now, for how long a refusal holds. */
  readonly now: () => number;
}

/** A refusal also answers the requests already queued behind it, instead of asking once per request. */
export const REFUSAL_HOLDS_MS = 30_000;

/** The host (`name:port`) keys would go to, or undefined for an unparsable URL. */
export function endpointHost(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether API keys may be sent to a base URL: a pre-approved host, a host the user approved
 * before (remembered per host), or one the user approves now. Requests waiting for the same host share
 * one question. A refusal holds for {@link REFUSAL_HOLDS_MS} (the queue behind it fails with it) and is
 * never stored, so a request made later asks again.
 */
export class EndpointConsent {
  readonly #options: EndpointConsentOptions;
  readonly #pending = new Map<string, Promise<boolean>>();
  readonly #refusedAtMs = new Map<string, number>();

  constructor(options: EndpointConsentOptions) {
    this.#options = options;
  }

  /** True when keys may go to `baseUrl` without asking. */
  isApproved(baseUrl: string): boolean {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      return false;
    }
    return this.#options.isPreApproved(url) || this.#options.store.get().includes(url.host);
  }

  /** Resolves true when keys may go to `baseUrl`, asking at most once at a time per host; never rejects. */
  approve(baseUrl: string): Promise<boolean> {
    if (this.isApproved(baseUrl)) return Promise.resolve(true);
    const host = endpointHost(baseUrl);
    if (host === undefined) return Promise.resolve(false);
    const pending = this.#pending.get(host);
    if (pending !== undefined) return pending;
    const refusedAt = this.#refusedAtMs.get(host);
    if (refusedAt !== undefined && this.#options.now() - refusedAt < REFUSAL_HOLDS_MS)
      return Promise.resolve(false);
    const question = this.#ask(host, new URL(baseUrl).origin).finally(() => this.#pending.delete(host));
    this.#pending.set(host, question);
    return question;
  }

  async #ask(host: string, origin: string): Promise<boolean> {
    try {
      if (!(await this.#options.ask(host, origin))) {
        this.#refusedAtMs.set(host, this.#options.now());
        return false;
      }
      this.#refusedAtMs.delete(host);
      const hosts = this.#options.store.get();
      if (!hosts.includes(host)) await this.#options.store.set([...hosts, host]);
      return true;
    } catch {
      return false;
    }
  }
}
