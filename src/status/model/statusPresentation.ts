import { modelClassOf, type SchedulerSnapshot } from '../../pacer/index';
import { formatCountdown } from './countdown';
import { ENGLISH, type Localize } from './localize';
import { hasKnownLimits, nextPoolOf, statusTooltip } from './statusTooltip';
import { requestWaitFrom } from './waitDescription';

// Commands and the chat page read the countdown format from here as they always have.
export { formatCountdown } from './countdown';

/** What the status-bar item shows, derived from a snapshot; the VS Code side only renders it. */
export interface StatusPresentation {
  readonly text: string;
  readonly severity: 'normal' | 'warning' | 'error';
  /** Markdown for the tooltip. */
  readonly tooltip: string;
  /** When set, the text contains a countdown to this time and must be refreshed each second. */
  readonly countdownToMs?: number;
  /** True while the figures move without any request: a shown pool refills, or the next request's wait runs down. */
  readonly changesWhileIdle: boolean;
  /** True when no key is stored: the item offers to add one. */
  readonly needsKey: boolean;
}

/**
 * The status-bar presentation: headroom of the pool the next request of `model` would use (the
 * snapshot must come from `scheduler.snapshot(model)`), queue length, the countdown of the queue's
 * first request (the same estimate its wait banner shows), and a severity colour.
 */
export function presentStatus(
  snapshot: SchedulerSnapshot,
  model: string,
  nowMs: number,
  t: Localize = ENGLISH,
): StatusPresentation {
  const queued = snapshot.queued.interactive + snapshot.queued.command + snapshot.queued.background;
  const usable = snapshot.keys.filter((k) => k.state === 'ok' || k.state === 'cooling');
  const shown = snapshot.pools.filter(hasKnownLimits);
  const isRefilling = shown.some((p) =>
    Object.values(p.dimensions).some(
      (d) => d.limit !== undefined && d.resetAtMs !== undefined && d.resetAtMs > nowMs,
    ),
  );
  if (snapshot.keys.length === 0) {
    return {
      text: t('$(key) Add Claude key'),
      severity: 'normal',
      tooltip: t('Claude Pacer: no API key stored. Click to add one.'),
      changesWhileIdle: false,
      needsKey: true,
    };
  }
  const nextPool = nextPoolOf(snapshot, modelClassOf(model));
  const headroom = nextPool && hasKnownLimits(nextPool) ? nextPool.headroom : undefined;
  const headWait = snapshot.head ? requestWaitFrom(snapshot.head, nowMs, t) : undefined;
  const countdownToMs = headWait?.remainingMs !== undefined ? nowMs + headWait.remainingMs : undefined;
  const nextWaitMs = snapshot.next?.waitMs ?? 0;
  // The hover says how long a request sent now would wait (a cool-down can outlast full buckets).
  const isNextWaiting = queued === 0 && nextWaitMs > 0 && Number.isFinite(nextWaitMs);
  const isPoolWaiting = nextPool?.state === 'cooling' || nextPool?.state === 'throttled';
  let severity: StatusPresentation['severity'] = 'normal';
  if (usable.length === 0) severity = 'error';
  else if (countdownToMs !== undefined || isPoolWaiting) severity = 'warning';
  const parts = [usable.length === 0 ? '$(error)' : countdownToMs !== undefined ? '$(watch)' : '$(pulse)'];
  parts.push(
    usable.length === 0
      ? t('Claude: no usable key')
      : headroom === undefined
        ? 'Claude'
        : `Claude ${Math.round(headroom * 100)}%`,
  );
  if (queued > 0) parts.push(`$(list-ordered) ${queued}`);
  if (countdownToMs !== undefined) parts.push(formatCountdown(countdownToMs, nowMs));
  return {
    text: parts.join(' '),
    severity,
    tooltip: statusTooltip(snapshot, model, headWait, nowMs, t),
    changesWhileIdle: isRefilling || isNextWaiting,
    needsKey: false,
    ...(countdownToMs !== undefined ? { countdownToMs } : {}),
  };
}
