import type { WaitBanner } from './chatProtocol';
import type { RequestProgress } from '../../pacer/index';
import { formatCountdown } from '../../status/model/statusPresentation';

/** Waits shorter than this are not worth a banner (the request is about to go). */
export const MIN_BANNER_WAIT_MS = 1_000;

/** What the chat knows about the request besides its progress. */
export interface WaitContext {
  readonly messageId: string;
  readonly nowMs: number;
  /** The configured fallback model ('' when none). */
  readonly fallbackModel: string;
  /** True once the scheduler raised a long-wait event for this request. */
  readonly isLong: boolean;
}

/**
 * The banner for a queued request, or undefined when it is in flight, done, or about to start.
 * A retry wait (after a 429, 529 or network error) shows its own countdown; otherwise the
 * estimated start and the limit it waits for.
 */
export function waitBannerFrom(progress: RequestProgress, context: WaitContext): WaitBanner | undefined {
  if (progress.state !== 'queued') return undefined;
  const { nowMs } = context;
  const retryMs = progress.retryAtMs !== undefined ? progress.retryAtMs - nowMs : 0;
  const startMs = progress.estimatedStartMs !== undefined ? progress.estimatedStartMs - nowMs : 0;
  const remainingMs = Math.max(retryMs, startMs);
  if (remainingMs < MIN_BANNER_WAIT_MS && !context.isLong) return undefined;
  const reason =
    retryMs >= startMs &&
    retryMs > 0 &&
    (progress.waitingFor === undefined || progress.waitingFor === 'a free slot')
      ? 'retry after a failed attempt'
      : (progress.waitingFor ?? 'a free slot');
  const fallback = context.fallbackModel.trim();
  return {
    messageId: context.messageId,
    reason,
    isLong: context.isLong,
    ...(remainingMs > 0 ? { remainingMs: Math.round(remainingMs) } : {}),
    ...(progress.position !== undefined ? { position: progress.position + 1 } : {}),
    ...(fallback !== '' && fallback !== progress.model ? { fallbackModel: fallback } : {}),
  };
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
    (a.remainingMs === undefined) !== (next.remainingMs === undefined)
  )
    return true;
  const nextTarget = nowMs + (next.remainingMs ?? 0);
  return Math.abs(nextTarget - previous.targetMs) >= 1_000;
}

/** One line for a text-only surface (the @claude participant): "Waiting for input tokens per minute · starts in 0:12 · #2 in queue". */
export function describeWait(banner: WaitBanner, nowMs: number): string {
  const parts = [`Waiting for ${banner.reason}`];
  if (banner.remainingMs !== undefined)
    parts.push(`starts in ${formatCountdown(nowMs + banner.remainingMs, nowMs)}`);
  if (banner.position !== undefined) parts.push(`#${banner.position} in queue`);
  return parts.join(' · ');
}
