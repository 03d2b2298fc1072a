import { cacheReadsCountFor } from './modelClass';
import type { AttemptError, AttemptOutcome, Usage } from '../transport';

/** Input tokens as the limit counts them: uncached input plus cache writes (plus reads for † classes). */
export function countedInput(usage: Usage, modelClass: string): number {
  return (
    usage.inputTokens +
    usage.cacheCreationInputTokens +
    (cacheReadsCountFor(modelClass) ? usage.cacheReadInputTokens : 0)
  );
}

/** Every input token the server saw, cached or not (what the estimator learns from). */
export function totalInput(usage: Usage): number {
  return usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
}

/** "529 overloaded", "connection mid-stream": a failed attempt in a few words. */
export function describeError(error: AttemptError): string {
  const status = error.status !== undefined ? `${error.status} ` : '';
  return `${status}${error.kind.replace(/_/g, ' ')}${error.midStream ? ' mid-stream' : ''}`;
}

/** The outcome recorded when a transport throws or rejects instead of resolving (its contract says it must not). */
export function transportCrash(error: unknown): AttemptOutcome {
  return {
    kind: 'failure',
    error: {
      kind: 'connection',
      message: `The transport failed: ${error instanceof Error ? error.message : String(error)}`,
      midStream: false,
    },
    partialText: '',
  };
}
