import type { RequestProgress } from '../../pacer/index';
import { formatCountdown } from './countdown';
import { ENGLISH, type Localize } from './localize';
import { waitCauseText } from './waitCauseText';

/** What a queued request waits for, as every surface (chat banner, @claude, notification) says it. */
export interface RequestWait {
  /** What it waits for, in words (translated): "input tokens per minute", "retry after a failed attempt", … */
  readonly reason: string;
  /** Time left, when a start is known and still ahead. */
  readonly remainingMs?: number;
  /** 1-based place in the queue. */
  readonly position?: number;
}

/**
 * The wait of a queued request, or undefined when it is in flight or done. A retry wait (after a
 * 429, 529 or network error) shows its own countdown; otherwise the estimated start and the limit
 * it waits for, worded with `t`.
 */
export function requestWaitFrom(
  progress: RequestProgress,
  nowMs: number,
  t: Localize = ENGLISH,
): RequestWait | undefined {
  if (progress.state !== 'queued') return undefined;
  const retryMs = progress.retryAtMs !== undefined ? progress.retryAtMs - nowMs : 0;
  const startMs = progress.estimatedStartMs !== undefined ? progress.estimatedStartMs - nowMs : 0;
  const remainingMs = Math.max(retryMs, startMs);
  const cause =
    retryMs >= startMs &&
    retryMs > 0 &&
    (progress.waitingFor === undefined || progress.waitingFor.kind === 'free_slot')
      ? { kind: 'failed_attempt_retry' as const }
      : (progress.waitingFor ?? { kind: 'free_slot' as const });
  return {
    reason: waitCauseText(cause, t),
    ...(remainingMs > 0 ? { remainingMs: Math.round(remainingMs) } : {}),
    ...(progress.position !== undefined ? { position: progress.position + 1 } : {}),
  };
}

/** One line for a wait: "Waiting for input tokens per minute · starts in 0:12 · #2 in queue". */
export function describeWait(wait: RequestWait, nowMs: number, t: Localize = ENGLISH): string {
  const parts = [t('Waiting for {0}', wait.reason)];
  if (wait.remainingMs !== undefined)
    parts.push(t('starts in {0}', formatCountdown(nowMs + wait.remainingMs, nowMs)));
  if (wait.position !== undefined) parts.push(t('#{0} in queue', wait.position));
  return parts.join(' · ');
}

/** One line for any state of a request: its wait, "Claude is answering…" or "Done.". */
export function describeProgress(progress: RequestProgress, nowMs: number, t: Localize = ENGLISH): string {
  if (progress.state === 'in_flight') return t('Claude is answering…');
  if (progress.state === 'done') return t('Done.');
  const wait = requestWaitFrom(progress, nowMs, t) ?? { reason: waitCauseText({ kind: 'free_slot' }, t) };
  return describeWait(wait, nowMs, t);
}
