import type { WaitBanner } from './chatProtocol';
import { bannerChanged } from './chatWait';

/**
 * The wait banner the page shows, kept with the moment its countdown ends, so that it is sent again
 * only when it changed and a page that loads later counts down from the right value.
 */
export class ShownBanner {
  #shown: { readonly banner: WaitBanner; readonly targetMs: number } | undefined;

  /** Remembers `banner` (undefined: none) at `nowMs`; true when it changed enough to send. */
  update(banner: WaitBanner | undefined, nowMs: number): boolean {
    if (!bannerChanged(this.#shown, banner, nowMs)) return false;
    this.#shown = banner ? { banner, targetMs: nowMs + (banner.remainingMs ?? 0) } : undefined;
    return true;
  }

  /** Forgets the banner (the answer started streaming or ended). */
  clear(): void {
    this.#shown = undefined;
  }

  /** The banner at `nowMs`, its time left counted down; undefined when none is shown. */
  at(nowMs: number): WaitBanner | undefined {
    if (!this.#shown) return undefined;
    if (this.#shown.banner.remainingMs === undefined) return this.#shown.banner;
    return { ...this.#shown.banner, remainingMs: Math.max(0, this.#shown.targetMs - nowMs) };
  }
}
