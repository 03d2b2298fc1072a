/**
 * What the wait banner offers, decided from what the host sent and the page's clock: Retry now
 * (enabled, retrying, or disabled with the reason), Switch model only when the host named a model to
 * switch to, Cancel always; and the long-wait sentence, which names only the choices shown. Pure, so
 * the page and the unit tests share it.
 */
import type { RetryBlock, WaitBanner } from './chatProtocol';
import { formatCountdown } from '../../status/model/countdown';
import { pageText, type PageStringKey, type PageStrings } from './pageStrings';

/** One banner button: its text and accessible name. */
export interface BannerButton {
  readonly label: string;
  readonly aria: string;
}

/** Retry now as the banner shows it. */
export type RetryButton =
  | (BannerButton & { readonly state: 'enabled' })
  /** Pressed: the host was asked to retry, and has not answered with a new banner yet. */
  | (BannerButton & { readonly state: 'retrying' })
  /** Retry now would change nothing: shown disabled, with the reason in words. */
  | (BannerButton & { readonly state: 'disabled'; readonly reason: string });

/** Everything the banner's action row and long-wait note show. */
export interface BannerButtons {
  readonly retry: RetryButton;
  /** Present only when the host named a model to switch to. */
  readonly switchModel?: BannerButton & { readonly model: string };
  readonly cancel: BannerButton;
  /** The long-wait sentence, when the wait passed the maximum. */
  readonly longWait?: string;
}

/** Where the page's banner stands: when its wait ends by the page's clock, and whether Retry now was pressed. */
export interface BannerMoment {
  readonly targetMs: number;
  readonly nowMs: number;
  readonly isRetrying: boolean;
}

const BLOCK_TEXT: Readonly<Record<Exclude<RetryBlock, 'pacing'>, PageStringKey>> = {
  queue: 'retryBlockedQueue',
  first_response: 'retryBlockedFirstResponse',
  ramp: 'retryBlockedRamp',
  shared_budget: 'retryBlockedSharedBudget',
  free_slot: 'retryBlockedFreeSlot',
};

/** Why Retry now is disabled, in words; a pacing wait names when the server would take it ("until 0:12"). */
export function retryBlockText(
  block: RetryBlock,
  banner: WaitBanner,
  moment: BannerMoment,
  strings: PageStrings,
): string {
  if (block !== 'pacing') return strings[BLOCK_TEXT[block]];
  return banner.remainingMs !== undefined && moment.targetMs > moment.nowMs
    ? pageText(strings, 'retryBlockedPacing', formatCountdown(moment.targetMs, moment.nowMs))
    : strings.retryBlockedPacingSoon;
}

/** The banner's buttons and long-wait note at `moment`. */
export function bannerButtons(banner: WaitBanner, moment: BannerMoment, strings: PageStrings): BannerButtons {
  const model = banner.fallbackModel;
  return {
    retry: retryButton(banner, moment, strings),
    ...(model
      ? {
          switchModel: {
            model,
            label: pageText(strings, 'useFallback', model),
            aria: pageText(strings, 'useFallbackAria', model),
          },
        }
      : {}),
    cancel: { label: strings.cancelWait, aria: strings.cancelWaitAria },
    ...(banner.isLong ? { longWait: model ? strings.longWait : strings.longWaitNoSwitch } : {}),
  };
}

function retryButton(banner: WaitBanner, moment: BannerMoment, strings: PageStrings): RetryButton {
  if (banner.retryBlockedBy !== undefined) {
    const reason = retryBlockText(banner.retryBlockedBy, banner, moment, strings);
    return {
      state: 'disabled',
      label: strings.retryNow,
      aria: pageText(strings, 'retryNowBlockedAria', reason),
      reason,
    };
  }
  if (moment.isRetrying) return { state: 'retrying', label: strings.retrying, aria: strings.retrying };
  return { state: 'enabled', label: strings.retryNow, aria: strings.retryNowAria };
}
