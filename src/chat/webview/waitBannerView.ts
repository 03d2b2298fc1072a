import type { WaitBanner, WebviewMessage } from '../model/chatProtocol';
import { formatCountdown } from '../../status/model/countdown';
import { pageText, type PageStrings } from '../model/pageStrings';
import { pageButton } from './pageButton';
import { bannerButtons, retryBlockText, type BannerMoment } from '../model/waitBannerButtons';

/** Sends a message to the extension host. */
export type PostToHost = (message: WebviewMessage) => void;

/** What the banner's buttons do: Retry now is the page's to show as retrying before the host answers. */
export interface BannerActions {
  readonly post: PostToHost;
  readonly onRetry: () => void;
}

const REASON_ID = 'wait-retry-reason';

/**
 * The wait banner: what it waits for, a countdown slot (filled by {@link updateBannerClock}), the
 * queue place, the long-wait note and its honest buttons (see bannerButtons).
 */
export function renderWaitBanner(
  banner: WaitBanner,
  moment: BannerMoment,
  actions: BannerActions,
  strings: PageStrings,
): HTMLElement {
  const buttons = bannerButtons(banner, moment, strings);
  const box = document.createElement('section');
  box.className = `wait-banner${banner.isLong ? ' long' : ''}`;
  box.setAttribute('role', 'status');
  box.setAttribute('aria-label', strings.waitAria);
  const title = document.createElement('strong');
  title.className = 'wait-title';
  title.textContent = pageText(strings, 'waitTitle', banner.reason);
  const details = document.createElement('div');
  details.className = 'wait-details';
  const countdown = document.createElement('span');
  countdown.className = 'wait-countdown';
  // The countdown changes every second: it is not announced, the title is.
  countdown.setAttribute('aria-live', 'off');
  details.append(countdown);
  if (banner.position !== undefined) {
    const position = document.createElement('span');
    position.className = 'wait-position';
    position.textContent = pageText(strings, 'queuePosition', banner.position);
    details.append(position);
  }
  box.append(title, details);
  if (buttons.longWait) {
    const long = document.createElement('p');
    long.className = 'wait-long';
    long.textContent = buttons.longWait;
    box.append(long);
  }
  const row = document.createElement('div');
  row.className = 'wait-actions';
  const retry = pageButton(buttons.retry.label, buttons.retry.aria);
  retry.classList.add('retry-now', `retry-${buttons.retry.state}`);
  if (buttons.retry.state === 'enabled') {
    retry.addEventListener('click', () => {
      actions.onRetry();
      actions.post({ type: 'retryNow' });
    });
  } else {
    // aria-disabled, not disabled: it stays focusable, so a screen reader reaches it and hears why.
    retry.setAttribute('aria-disabled', 'true');
    if (buttons.retry.state === 'disabled') retry.setAttribute('aria-describedby', REASON_ID);
  }
  row.append(retry);
  if (buttons.switchModel) {
    const switchModel = pageButton(buttons.switchModel.label, buttons.switchModel.aria);
    switchModel.classList.add('switch-model');
    switchModel.addEventListener('click', () => actions.post({ type: 'useFallback' }));
    row.append(switchModel);
  }
  const cancel = pageButton(buttons.cancel.label, buttons.cancel.aria, 'secondary');
  cancel.addEventListener('click', () => actions.post({ type: 'stop' }));
  row.append(cancel);
  box.append(row);
  if (buttons.retry.state === 'disabled') {
    const reason = document.createElement('p');
    reason.className = 'wait-retry-reason';
    reason.id = REASON_ID;
    reason.setAttribute('aria-live', 'off');
    box.append(reason);
  }
  updateBannerClock(box, banner, moment, strings);
  return box;
}

/** Refreshes what the clock changes in a rendered banner: its countdown and a pacing reason's "until m:ss". */
export function updateBannerClock(
  box: HTMLElement,
  banner: WaitBanner,
  moment: BannerMoment,
  strings: PageStrings,
): void {
  const countdown = box.querySelector<HTMLElement>('.wait-countdown');
  if (countdown) {
    countdown.textContent = moment.isRetrying
      ? strings.resuming
      : countdownText(banner, moment.targetMs, moment.nowMs, strings);
  }
  const reason = box.querySelector<HTMLElement>('.wait-retry-reason');
  if (reason && banner.retryBlockedBy !== undefined) {
    const text = retryBlockText(banner.retryBlockedBy, banner, moment, strings);
    reason.textContent = text;
    const retry = box.querySelector('.retry-now');
    retry?.setAttribute('title', text);
    retry?.setAttribute('aria-label', pageText(strings, 'retryNowBlockedAria', text));
  }
}

/** The countdown of a banner whose wait ends at `targetMs` (by the page's clock). */
export function countdownText(
  banner: WaitBanner,
  targetMs: number,
  nowMs: number,
  strings: PageStrings,
): string {
  if (banner.remainingMs === undefined) return strings.startsWhenAllowed;
  return targetMs > nowMs
    ? pageText(strings, 'resumesIn', formatCountdown(targetMs, nowMs))
    : strings.resuming;
}
