import type { Clock, TimerHandle } from '../../pacer/index';
import type { StatusPresentation } from './statusPresentation';

/** How often the status bar repaints on its own while a countdown runs or a bucket refills. */
export const REPAINT_INTERVAL_MS = 1_000;

/**
 * When the status bar must repaint without any scheduler change: each second while its text
 * counts down, a shown pool refills or the next request's wait runs down; never once all is full and free.
 */
export function repaintDelayMs(view: StatusPresentation): number | undefined {
  return view.countdownToMs !== undefined || view.changesWhileIdle ? REPAINT_INTERVAL_MS : undefined;
}

/** One pending repaint at most, on an injected clock: armed after each paint that needs another, none when idle and full. */
export class RepaintTimer {
  readonly #clock: Clock;
  readonly #repaint: () => void;
  #timer: TimerHandle | undefined;

  /** Calls `repaint` when an armed delay ends. */
  constructor(clock: Clock, repaint: () => void) {
    this.#clock = clock;
    this.#repaint = repaint;
  }

  /** True while a repaint is pending. */
  get isArmed(): boolean {
    return this.#timer !== undefined;
  }

  /** After a paint: keeps one timer for `view`'s next repaint, or none when nothing moves. */
  arm(view: StatusPresentation): void {
    const delayMs = repaintDelayMs(view);
    if (delayMs === undefined) {
      this.dispose();
      return;
    }
    this.#timer ??= this.#clock.setTimer(() => {
      this.#timer = undefined;
      this.#repaint();
    }, delayMs);
  }

  /** Cancels the pending repaint. */
  dispose(): void {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }
}
