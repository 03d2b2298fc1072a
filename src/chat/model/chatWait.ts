import type { RetryBlock, WaitBanner } from './chatProtocol';
import type { RequestProgress, WaitCause } from '../../pacer/index';
import { ENGLISH, type Localize } from '../../status/model/localize';
import { describeWait, requestWaitFrom } from '../../status/model/waitDescription';

/** Waits shorter than this are not worth a banner (the request is about to go). */
export const MIN_BANNER_WAIT_MS = 1_000;

/** What the chat knows about the request besides its progress. */
export interface WaitContext {
  readonly messageId: string;
  readonly nowMs: number;
  /** The model the user may switch to ('' when none): the fallback setting or the picker's choice. */
  readonly fallbackModel: string;
  /** True once the scheduler raised a long-wait event for this request. */
  readonly isLong: boolean;
}

/**
 * The banner for a queued request, or undefined when it is in flight, done, or about to start
 * (what it waits for and its countdown as {@link requestWaitFrom} words them, with `t`).
 */
export function waitBannerFrom(
  progress: RequestProgress,
  context: WaitContext,
  t: Localize = ENGLISH,
): WaitBanner | undefined {
  const wait = requestWaitFrom(progress, context.nowMs, t);
  if (!wait || ((wait.remainingMs ?? 0) < MIN_BANNER_WAIT_MS && !context.isLong)) return undefined;
  const fallback = context.fallbackModel.trim();
  return {
    messageId: context.messageId,
    reason: wait.reason,
    isLong: context.isLong,
    ...(wait.remainingMs !== undefined ? { remainingMs: wait.remainingMs } : {}),
    ...(wait.position !== undefined ? { position: wait.position } : {}),
    ...(fallback !== '' && fallback !== progress.model ? { fallbackModel: fallback } : {}),
    ...retryField(retryBlockOf(progress, context.nowMs)),
  };
}

const BLOCK_OF_CAUSE: Readonly<Record<WaitCause['kind'], RetryBlock | undefined>> = {
  limit: 'pacing',
  queued_ahead: 'queue',
  first_response: 'first_response',
  ramp: 'ramp',
  shared_budget: 'shared_budget',
  free_slot: 'free_slot',
  // The scheduler's retryNow ends these two: Retry now re-attempts at once.
  cool_down: undefined,
  transient_retry: undefined,
};

/**
 * Why Retry now would not shorten this wait, or undefined when it would: the scheduler's retryNow
 * ends cool-downs and retry waits (a retry that is the later of the two starts), never pacing.
 */
export function retryBlockOf(progress: RequestProgress, nowMs: number): RetryBlock | undefined {
  const retryMs = progress.retryAtMs !== undefined ? progress.retryAtMs - nowMs : 0;
  const startMs = progress.estimatedStartMs !== undefined ? progress.estimatedStartMs - nowMs : 0;
  if (retryMs > 0 && retryMs >= startMs) return undefined;
  return BLOCK_OF_CAUSE[(progress.waitingFor ?? { kind: 'free_slot' }).kind];
}

function retryField(block: RetryBlock | undefined): { readonly retryBlockedBy?: RetryBlock } {
  return block !== undefined ? { retryBlockedBy: block } : {};
}

/** Whether two banners differ enough to send again (the countdown target moved by a second or more). */
export function bannerChanged(
  previous: { readonly banner: WaitBanner; readonly targetMs: number } | undefined,
  next: WaitBanner | undefined,
  nowMs: number,
): boolean {
  if (!previous || !next) return previous !== undefined || next !== undefined;
  const a = previous.banner;
  if (
    a.messageId !== next.messageId ||
    a.reason !== next.reason ||
    a.position !== next.position ||
    a.isLong !== next.isLong ||
    a.fallbackModel !== next.fallbackModel ||
    a.retryBlockedBy !== next.retryBlockedBy ||
    (a.remainingMs === undefined) !== (next.remainingMs === undefined)
  )
    return true;
  const nextTarget = nowMs + (next.remainingMs ?? 0);
  return Math.abs(nextTarget - previous.targetMs) >= 1_000;
}

/** A countdown is re-reported in steps of this many milliseconds on text-only surfaces, not every second. */
export const COUNTDOWN_STEP_MS = 5_000;

/**
 * The progress line of a text-only surface (the `@claude` participant) for a banner, and the key
 * that changes only when the line is worth reporting again (reason, place, a 5 s countdown step).
 */
export function waitProgressLine(
  banner: WaitBanner,
  nowMs: number,
  t: Localize = ENGLISH,
): { readonly key: string; readonly text: string } {
  const step = banner.remainingMs !== undefined ? Math.ceil(banner.remainingMs / COUNTDOWN_STEP_MS) : -1;
  const long = banner.isLong ? ` · ${t('a long wait (Stop cancels it)')}` : '';
  return {
    key: `${banner.reason}|${banner.position ?? ''}|${step}|${banner.isLong}`,
    text: `${describeWait(banner, nowMs, t)}${long}`,
  };
}
