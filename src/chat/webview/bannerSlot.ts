import type { ChatMessageView, WaitBanner } from '../model/chatProtocol';
import type { PageStrings } from '../model/pageStrings';
import { renderWaitBanner, updateBannerClock, type PostToHost } from './waitBannerView';

/**
 * The wait banner's place: a slot pinned above the composer (outside the scrolling conversation, so
 * it is always in view while it applies). Keeps the banner the host sent, when its countdown ends by
 * the page's clock, and whether Retry now was pressed since: then "Retrying…" shows until the host
 * sends another banner (the attempt waits again) or the answer streams or ends; the host's "no
 * banner" while the re-attempt is in flight does not hide it.
 */
export class BannerSlot {
  readonly #slot: HTMLElement;
  readonly #post: PostToHost;
  readonly #strings: PageStrings;
  #current: { readonly banner: WaitBanner; readonly targetMs: number; isRetrying: boolean } | undefined;

  constructor(slot: HTMLElement, post: PostToHost, strings: PageStrings) {
    this.#slot = slot;
    this.#post = post;
    this.#strings = strings;
  }

  /** Shows the host's banner (null: none), counting down from `nowMs`. */
  show(banner: WaitBanner | null, nowMs: number): void {
    if (!banner && this.#current?.isRetrying) return;
    this.#current = banner
      ? { banner, targetMs: nowMs + (banner.remainingMs ?? 0), isRetrying: false }
      : undefined;
    this.#render(nowMs);
  }

  /** Ends a "Retrying…" banner once its answer streams or ended. */
  noteMessage(message: ChatMessageView): void {
    const current = this.#current;
    if (!current?.isRetrying || message.id !== current.banner.messageId || message.status === 'pending')
      return;
    this.#current = undefined;
    this.#render(Date.now());
  }

  /** Drops a "Retrying…" banner whose answer is no longer in the conversation (a new chat, an edit). */
  noteConversation(messages: readonly ChatMessageView[]): void {
    const current = this.#current;
    if (!current?.isRetrying || messages.some((m) => m.id === current.banner.messageId)) return;
    this.#current = undefined;
    this.#render(Date.now());
  }

  /** Moves the countdown (and a pacing reason's "until m:ss") to `nowMs`. */
  tick(nowMs: number): void {
    const current = this.#current;
    const box = this.#slot.firstElementChild;
    if (!current || !(box instanceof HTMLElement)) return;
    updateBannerClock(box, current.banner, this.#moment(nowMs), this.#strings);
  }

  #render(nowMs: number): void {
    const current = this.#current;
    this.#slot.hidden = current === undefined;
    if (!current) {
      this.#slot.replaceChildren();
      return;
    }
    const onRetry = (): void => {
      current.isRetrying = true;
      this.#render(Date.now());
      this.#slot.querySelector<HTMLElement>('.retry-now')?.focus();
    };
    const box = renderWaitBanner(
      current.banner,
      this.#moment(nowMs),
      { post: this.#post, onRetry },
      this.#strings,
    );
    this.#slot.replaceChildren(box);
  }

  #moment(nowMs: number): { targetMs: number; nowMs: number; isRetrying: boolean } {
    const current = this.#current;
    return { targetMs: current?.targetMs ?? nowMs, nowMs, isRetrying: current?.isRetrying ?? false };
  }
}
