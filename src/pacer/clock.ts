/** Opaque handle of a scheduled timer. */
export type TimerHandle = { readonly id: number };

/** Time source and timers, injected so the core never reads real time itself. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs` (clamped to ≥ 0). */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimer(handle: TimerHandle): void;
}

/** A random number source in [0, 1), injected for deterministic tests. */
export type RandomSource = () => number;

/** The real clock, backed by Date.now and setTimeout. */
export function createSystemClock(): Clock {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    setTimer(callback, delayMs) {
      const id = nextId++;
      // setTimeout overflows above 2^31-1 ms and fires at once; clamp so absurd waits stay waits.
      const delay = Math.min(Math.max(0, delayMs), 2_147_483_647);
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          callback();
        }, delay),
      );
      return { id };
    },
    clearTimer(handle) {
      const timer = timers.get(handle.id);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(handle.id);
    },
  };
}
