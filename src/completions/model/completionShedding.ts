import type { RequestProgress } from '../../pacer/index';

/** A completion that would wait longer than this for quota is shed instead of queued. */
export const SHED_AFTER_MS = 1000;

/**
 * When a just-submitted completion would start, if that is more than `maxWaitMs` away (shed it);
 * undefined when it started or will start soon enough. A queued request without an estimate is
 * kept: the next keystroke drops it anyway.
 */
export function shedUntilMs(
  progress: RequestProgress,
  nowMs: number,
  maxWaitMs = SHED_AFTER_MS,
): number | undefined {
  if (progress.state !== 'queued') return undefined;
  const startMs = Math.max(progress.estimatedStartMs ?? nowMs, progress.retryAtMs ?? nowMs);
  return startMs - nowMs > maxWaitMs ? startMs : undefined;
}

/**
 * Whether completions are paused after a shed: until the shed one would have started, new ones
 * are shed without a request; afterwards they resume by themselves.
 */
export class CompletionPause {
  #untilMs = 0;

  /** Pauses until `untilMs` (a later pause extends, an earlier one never shortens). */
  pause(untilMs: number): void {
    this.#untilMs = Math.max(this.#untilMs, untilMs);
  }

  /** True while paused. */
  isPaused(nowMs: number): boolean {
    return nowMs < this.#untilMs;
  }

  /** End of the pause (epoch ms), 0 when never paused. */
  get untilMs(): number {
    return this.#untilMs;
  }
}
