/**
 * The simulator's own time source. It is written here, not imported from the extension, so the
 * simulator shares no code with what it tests; any object of this shape (the tests' manual clock,
 * the extension's clock) drives it.
 */

/** Opaque handle of a scheduled timer. */
export type SimTimer = object;

/** Time source and timers the simulator runs on. */
export interface SimClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`. */
  setTimer(callback: () => void, delayMs: number): SimTimer;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimer(handle: SimTimer): void;
}

/** Real time: Date.now and Node's timers (the simulator never waits more than seconds). */
export const realSimClock: SimClock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs)),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
