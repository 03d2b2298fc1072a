// Driving a scheduler on a manual clock: let callbacks run, run the clock from timer to timer,
// submit a paced series of jobs and drain it, and check what a server saw against the pacing bound.
import assert from 'node:assert/strict';
import type { Lane, RequestHandle, RequestResult, SubmitOptions } from '../../src/pacer/index';
import type { ManualClock } from './manualClock';

/** Lets pending promise and I/O callbacks run for `turns` event-loop turns; no clock time passes. */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Options of {@link drainTimers}. */
export interface DrainOptions {
  /** Stop after this many timers even if more are pending (a runaway guard). @default Infinity */
  readonly maxTimers?: number;
  /** Event-loop turns to flush after each timer. @default 5 */
  readonly flushTurns?: number;
}

/** Moves `clock` to each next due timer and flushes, until no timer is pending (or `maxTimers` fired). */
export async function drainTimers(clock: ManualClock, options: DrainOptions = {}): Promise<void> {
  const { maxTimers = Number.POSITIVE_INFINITY, flushTurns = 5 } = options;
  for (let fired = 0; fired < maxTimers; fired++) {
    const due = clock.nextDueMs();
    if (due === undefined) return;
    clock.advanceTo(due);
    await flush(flushTurns);
  }
}

/** One submission of a pacing run: `gapMs` after the previous one, `input` tokens on `lane`. */
export interface PacedJob {
  readonly gapMs: number;
  /** Input tokens; the prompt has this many characters, so a server can count one token per character. */
  readonly input: number;
  readonly lane: Lane;
}

/** Submits each job after its gap on `clock`, drains the clock, and resolves with every result in submission order. */
export async function submitAndDrain(
  clock: ManualClock,
  scheduler: { submit(options: SubmitOptions): RequestHandle },
  jobs: readonly PacedJob[],
  options: DrainOptions = {},
): Promise<RequestResult[]> {
  const handles: RequestHandle[] = [];
  for (const job of jobs) {
    clock.advance(job.gapMs);
    handles.push(
      scheduler.submit({
        lane: job.lane,
        inputTokens: job.input,
        request: {
          model: 'claude-sonnet-4-6',
          maxTokens: 5,
          messages: [{ role: 'user', content: 'x'.repeat(job.input) }],
        },
      }),
    );
    await flush();
  }
  await drainTimers(clock, options);
  return Promise.all(handles.map((handle) => handle.result));
}

/** Per-minute limits of a pacing bound. */
export interface BoundLimits {
  readonly requests: number;
  readonly input: number;
}

/**
 * Asserts that no window of `sent` (in send order) holds more requests or input tokens than
 * capacity + refill × Δt, with capacity the per-minute limit and refill limit / 60 s.
 */
export function assertPacingBound(
  sent: ReadonlyArray<{ readonly atMs: number; readonly input: number }>,
  limits: BoundLimits,
  label = '',
): void {
  for (let i = 0; i < sent.length; i++) {
    let requests = 0;
    let input = 0;
    for (let j = i; j < sent.length; j++) {
      requests += 1;
      input += sent[j]!.input;
      const dt = sent[j]!.atMs - sent[i]!.atMs;
      assert.ok(
        requests <= limits.requests + (limits.requests * dt) / 60_000 + 1e-9,
        `${label}requests window ${i}..${j}`,
      );
      assert.ok(
        input <= limits.input + (limits.input * dt) / 60_000 + 1e-6,
        `${label}input window ${i}..${j}`,
      );
    }
  }
}
