import type { Clock, TimerHandle } from '../pacer/index';

/**
 * Calls `onIdle` once when, after `start`, `touch` has not been called for `idleMs` on `clock`.
 * One timer per idle period: a touch only records the time, and the timer re-arms for what is left.
 */
export class IdleWatch {
  readonly #clock: Clock;
  readonly #idleMs: number;
  readonly #onIdle: () => void;
  #lastActivityMs = 0;
  #timer: TimerHandle | undefined;
  #isRunning = false;
  #hasFired = false;

  constructor(clock: Clock, idleMs: number, onIdle: () => void) {
    this.#clock = clock;
    this.#idleMs = idleMs;
    this.#onIdle = onIdle;
  }

  /** True once `onIdle` was called. */
  get hasFired(): boolean {
    return this.#hasFired;
  }

  /** Starts watching, counting from now; later calls are ignored. */
  start(): void {
    if (this.#isRunning || this.#hasFired) return;
    this.#isRunning = true;
    this.#lastActivityMs = this.#clock.now();
    this.#arm(this.#idleMs);
  }

  /** Notes activity: the idle period starts again from now. */
  touch(): void {
    if (this.#isRunning) this.#lastActivityMs = this.#clock.now();
  }

  /** Stops watching for good; `onIdle` will not be called afterwards. */
  stop(): void {
    this.#isRunning = false;
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = this.#clock.setTimer(() => this.#check(), delayMs);
  }

  #check(): void {
    this.#timer = undefined;
    if (!this.#isRunning) return;
    const quietMs = this.#clock.now() - this.#lastActivityMs;
    if (quietMs < this.#idleMs) {
      this.#arm(this.#idleMs - quietMs);
      return;
    }
    this.#isRunning = false;
    this.#hasFired = true;
    this.#onIdle();
  }
}
