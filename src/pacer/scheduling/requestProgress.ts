import type { Clock } from '../clock';
import { waitCauseCode } from '../limits/waitCause';
import type { QueueEstimate } from './queueEstimate';
import type { RequestEntry } from './requestEntry';
import type { LongWaitEvent, RequestProgress } from './schedulerTypes';

/** A request's progress; queue estimates are read only while it is queued. */
export function requestProgress(
  entry: RequestEntry,
  estimates: () => ReadonlyMap<string, QueueEstimate>,
  clock: Clock,
): RequestProgress {
  const base = { attempts: entry.attempts, model: entry.request.model };
  if (entry.state !== 'queued') return { state: entry.state, ...base };
  const estimate = estimates().get(entry.id);
  const now = clock.now();
  return {
    state: 'queued',
    ...base,
    ...(estimate
      ? { position: estimate.position, estimatedStartMs: estimate.startMs, waitingFor: estimate.waitingFor }
      : {}),
    ...(entry.notBeforeMs > now ? { retryAtMs: entry.notBeforeMs } : {}),
  };
}

/** Progress of the first queued request in dispatch order (lowest estimated position), if one is estimated. */
export function headProgress(
  queued: readonly RequestEntry[],
  estimates: () => ReadonlyMap<string, QueueEstimate>,
  clock: Clock,
): RequestProgress | undefined {
  if (queued.length === 0) return undefined;
  const byId = estimates();
  let head: RequestEntry | undefined;
  for (const entry of queued) {
    const position = byId.get(entry.id)?.position;
    if (position !== undefined && (head === undefined || position < byId.get(head.id)!.position))
      head = entry;
  }
  return head && requestProgress(head, () => byId, clock);
}

/** The event raised when a request's estimated start passes its deadline. */
export function longWaitEventOf(entry: RequestEntry, estimate: QueueEstimate): LongWaitEvent {
  return {
    requestId: entry.id,
    estimatedStartMs: estimate.startMs,
    waitingFor: estimate.waitingFor,
    ...(entry.options.label !== undefined ? { label: entry.options.label } : {}),
  };
}

/** The log line for a long wait, with the estimated start in whole seconds from `nowMs`. */
export function longWaitMessage(estimate: QueueEstimate, nowMs: number): string {
  const inSeconds = Math.ceil((estimate.startMs - nowMs) / 1000);
  return `long wait: estimated start in ${inSeconds} s (${waitCauseCode(estimate.waitingFor)})`;
}
