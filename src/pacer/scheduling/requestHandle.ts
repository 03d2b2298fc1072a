import { isRateLimitError } from '../retry/failurePolicy';
import type { RequestEntry } from './requestEntry';
import type { RequestHandle, RequestProgress, RequestResult } from './schedulerTypes';

/** What a handle asks the scheduler to do; each is called only while the request allows it. */
export interface HandleActions {
  cancel(): void;
  progress(): RequestProgress;
  /** Extends the long-wait deadline by `maxWaitMs` from now. */
  keepWaiting(maxWaitMs: number): void;
  switchModel(model: string): void;
}

/** The caller's handle of a request: no-ops once it ended, model switches only while queued. */
export function handleOf(
  entry: RequestEntry,
  result: Promise<RequestResult>,
  actions: HandleActions,
): RequestHandle {
  return {
    id: entry.id,
    result,
    cancel: () => {
      if (entry.state !== 'done') actions.cancel();
    },
    progress: () => actions.progress(),
    keepWaiting: () => {
      const maxWaitMs = entry.options.maxWaitMs;
      if (entry.state !== 'done' && maxWaitMs !== undefined) actions.keepWaiting(maxWaitMs);
    },
    switchModel: (model: string) => {
      if (entry.state !== 'queued') return;
      // A 429's retry-after belongs to the old model's limits; the new model has its own.
      if (isRateLimitError(entry.lastError)) entry.notBeforeMs = 0;
      actions.switchModel(model);
    },
  };
}
