import type { Clock } from '../../pacer/index';

/**
 * One request per pause in typing: each keystroke's `settle` supersedes the one before (its signal
 * aborts, so a queued request is dropped unsent and one in flight is aborted) and resolves after
 * the debounce with the signal the request must carry, or undefined when it went stale first.
 */
export class CompletionGate {
  readonly #clock: Clock;
  #debounceMs: number;
  #current: AbortController | undefined;

  /** Waits `debounceMs` (≥ 0) on `clock` before each request. */
  constructor(clock: Clock, debounceMs: number) {
    this.#clock = clock;
    this.#debounceMs = Math.max(0, debounceMs);
  }

  /** Changes the debounce for the next keystrokes. */
  set debounceMs(value: number) {
    this.#debounceMs = Math.max(0, value);
  }

  /** Supersedes the previous keystroke; `cancel` (the editor's token) makes this one stale too. */
  settle(cancel?: AbortSignal): Promise<AbortSignal | undefined> {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    const signal = controller.signal;
    if (cancel?.aborted) controller.abort();
    else cancel?.addEventListener('abort', () => controller.abort(), { once: true });
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve(undefined);
        return;
      }
      const onAbort = (): void => {
        this.#clock.clearTimer(timer);
        resolve(undefined);
      };
      const timer = this.#clock.setTimer(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal);
      }, this.#debounceMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Makes whatever is pending stale (e.g. the feature was turned off). */
  cancel(): void {
    this.#current?.abort();
    this.#current = undefined;
  }
}
