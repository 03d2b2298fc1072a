const CANCELLED = 'The request was cancelled.';

/**
 * One request's abort controller, fired by the caller's signal, by transport disposal or by a stalled
 * response, remembering why so the outcome can say so.
 */
export class AbortLink {
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = (): void => this.abort(CANCELLED);
  #reason: string | undefined;
  #isStalled = false;

  constructor(callerSignal: AbortSignal | undefined) {
    this.#callerSignal = callerSignal;
    if (callerSignal?.aborted === true) this.abort(CANCELLED);
    else callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** The signal to hand to the SDK. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the request was aborted, or undefined while it was not. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** True when the response was abandoned because it went quiet (see `abortStalled`). */
  get isStalled(): boolean {
    return this.#isStalled;
  }

  /** Aborts because the response stopped arriving: a timeout, not a cancellation, so `reason` stays unset. */
  abortStalled(): void {
    if (this.#reason !== undefined || this.#isStalled) return;
    this.#isStalled = true;
    this.#controller.abort();
  }

  /** Aborts with `reason` unless already aborted. */
  abort(reason: string): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller.abort();
  }

  /** Detaches from the caller's signal; call when the request settled. */
  release(): void {
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }
}
