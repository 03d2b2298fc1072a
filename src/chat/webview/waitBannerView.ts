import type { WaitBanner, WebviewMessage } from '../model/chatProtocol';
import { formatCountdown } from '../../status/model/countdown';
import { pageText, type PageStrings } from '../model/pageStrings';

/** Sends a message to the extension host. */
export type PostToHost = (message: WebviewMessage) => void;

/** The wait banner: what it waits for, a countdown slot (see {@link countdownText}), the queue place, the long-wait note and its actions. */
export function renderWaitBanner(banner: WaitBanner, post: PostToHost, strings: PageStrings): HTMLElement {
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
  if (banner.isLong) {
    const long = document.createElement('p');
    long.className = 'wait-long';
    long.textContent = strings.longWait;
    box.append(long);
  }
  const actions = document.createElement('div');
  actions.className = 'wait-actions';
  actions.append(actionButton(post, strings.retryNow, strings.retryNowAria, { type: 'retryNow' }));
  if (banner.fallbackModel) {
    actions.append(
      actionButton(
        post,
        pageText(strings, 'useFallback', banner.fallbackModel),
        pageText(strings, 'useFallbackAria', banner.fallbackModel),
        { type: 'useFallback' },
      ),
    );
  }
  actions.append(actionButton(post, strings.cancelWait, strings.cancelWaitAria, { type: 'stop' }, true));
  box.append(actions);
  return box;
}

/** A button that posts `message` to the host when pressed. */
function actionButton(
  post: PostToHost,
  label: string,
  aria: string,
  message: WebviewMessage,
  isSecondary = false,
): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.setAttribute('aria-label', aria);
  if (isSecondary) b.className = 'secondary';
  b.addEventListener('click', () => post(message));
  return b;
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
