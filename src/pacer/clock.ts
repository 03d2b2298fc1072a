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

/**
 * The real clock: wall-clock milliseconds with the sub-millisecond resolution of `performance.now()`,
 * and timers that fire on time rather than up to two milliseconds late.
 *
 * Why by hand: `Date.now()` counts whole milliseconds and Node's `setTimeout` fires on the event
 * loop's whole-millisecond ticks, so a wake-up planned for a refill lands 0–2 ms late. Against a
 * server whose bucket holds about one request, refill is paced one request per slot, and every late
 * millisecond our bucket believes spilled is throughput lost for good (8 % at a 25 ms slot). So a
 * timer sleeps until a millisecond before it is due and yields to the event loop (`setImmediate`,
 * which lets I/O run) for the rest.
 */
export function createSystemClock(): Clock {
  const timers = new Map<number, { cancel: () => void }>();
  let nextId = 1;
  let wallOffsetMs = Date.now() - performance.now();
  const now = (): number => {
    const precise = wallOffsetMs + performance.now();
    const wall = Date.now();
    // Follow the wall clock (reset times in headers are wall-clock times) to within a millisecond;
    // the monotonic clock alone drifts from it by seconds a day.
    if (Math.abs(precise - wall) > 1) wallOffsetMs = wall - performance.now();
    return wallOffsetMs + performance.now();
  };
  const arm = (id: number, dueMs: number, callback: () => void): void => {
    const leftMs = dueMs - now();
    const fire = (): void => {
      if (!timers.has(id)) return;
      if (now() < dueMs) return arm(id, dueMs, callback);
      timers.delete(id);
      callback();
    };
    // setTimeout overflows above 2^31-1 ms and fires at once; clamp so absurd waits stay waits.
    if (leftMs > 2) {
      const timeout = setTimeout(fire, Math.min(leftMs - 1, 2_147_483_647));
      timers.set(id, { cancel: () => clearTimeout(timeout) });
    } else {
      const immediate = setImmediate(fire);
      timers.set(id, { cancel: () => clearImmediate(immediate) });
    }
  };
  return {
    now,
    setTimer(callback, delayMs) {
      const id = nextId++;
      arm(id, now() + Math.max(0, delayMs), callback);
      return { id };
    },
    clearTimer(handle) {
      timers.get(handle.id)?.cancel();
      timers.delete(handle.id);
    },
  };
}
