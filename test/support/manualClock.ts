import type { Clock, TimerHandle } from '../../src/pacer/clock';

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/** A clock that only moves when told to: for tests, the simulator's tests and benchmarks. */
export class ManualClock implements Clock {
  #nowMs: number;
  #timers: PendingTimer[] = [];
  #nextId = 1;

  /** Starts at `startMs` (default 2026-01-01T00:00:00Z, a whole second so RFC 3339 headers are exact). */
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.push({ id, dueMs: this.#nowMs + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle.id);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Due time of the earliest pending timer, or undefined. */
  nextDueMs(): number | undefined {
    let earliest: number | undefined;
    for (const t of this.#timers) if (earliest === undefined || t.dueMs < earliest) earliest = t.dueMs;
    return earliest;
  }

  /** Moves time forward by `ms`, firing due timers in order (timers they schedule fire too if due). */
  advance(ms: number): void {
    this.advanceTo(this.#nowMs + Math.max(0, ms));
  }

  /** Moves time to `targetMs`, firing every timer due on the way, in due order. */
  advanceTo(targetMs: number): void {
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.#timers) {
        if (
          t.dueMs <= targetMs &&
          (next === undefined || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.id < next.id))
        )
          next = t;
      }
      if (next === undefined) break;
      const fired = next;
      this.#timers = this.#timers.filter((t) => t.id !== fired.id);
      this.#nowMs = Math.max(this.#nowMs, fired.dueMs);
      fired.callback();
    }
    this.#nowMs = Math.max(this.#nowMs, targetMs);
  }
}
