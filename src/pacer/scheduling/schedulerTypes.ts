import type { Dimension } from '../limits/dimensions';
import type { WaitCause } from '../limits/waitCause';
import type { AttemptError, MessageRequest, Usage } from '../transport';

/** Priority lanes, highest first. */
export type Lane = 'interactive' | 'command' | 'background';

/** Lanes in priority order (index = rank). */
export const LANES: readonly Lane[] = ['interactive', 'command', 'background'];

/** What a caller hands to the scheduler. */
export interface SubmitOptions {
  readonly request: MessageRequest;
  readonly lane: Lane;
  /** Cancels at any stage: queued, waiting to retry, in flight. */
  readonly signal?: AbortSignal;
  /** When the estimated start is later than this after submission, a long-wait event is raised. */
  readonly maxWaitMs?: number;
  /** Receives streamed text as it arrives. */
  readonly onText?: (delta: string) => void;
  /** A short description for logs and the UI (e.g. "Explain Selection"); never the prompt. */
  readonly label?: string;
  /** An exact input-token count (count_tokens), used instead of the estimate. */
  readonly inputTokens?: number;
}

/** Closed set of reasons a request can fail. */
export type FailureKind =
  | 'never_fits' // larger than a limit: can never be sent
  | 'no_keys' // no key stored
  | 'key_rejected' // every key was rejected (401/403)
  | 'spend_limit' // monthly spend cap, or a self-set usage limit
  | 'billing' // 402
  | 'daily_budget' // every usable key is over the daily budget the user set
  | 'rejected' // 400/404/413: the server refused the request itself
  | 'insecure_endpoint' // never sent: the key would travel over plain http to a non-loopback host
  | 'redirected' // the endpoint answered with a redirect, which is never followed
  | 'endpoint_not_approved' // never sent: the user did not approve sending keys to this host
  | 'rate_limited' // kept being rate limited beyond the allowed number of tries
  | 'retries_exhausted' // transient failures (529/5xx/network) beyond max attempts
  | 'interrupted' // failed after output was delivered: partial answer kept
  | 'shutdown'; // the scheduler was disposed

/** Why a request failed: one sentence for the user plus the details. */
export interface FailureReason {
  readonly kind: FailureKind;
  readonly message: string;
  readonly lastError?: AttemptError;
  /** For never_fits: the limit that is too small. */
  readonly limit?: { readonly dimension: Dimension; readonly needed: number; readonly perMinute: number };
  /** For spend limits: when access resumes, if the server said. */
  readonly resumesAtMs?: number;
}

/** How a request ended. Exactly one per submitted request. */
export type RequestResult =
  | {
      readonly status: 'completed';
      readonly text: string;
      readonly usage: Usage;
      readonly model: string;
      readonly usedFallback: boolean;
      readonly attempts: number;
      readonly keyId: string;
      readonly serverRequestId?: string;
      readonly stopReason: string | null;
    }
  | {
      readonly status: 'failed';
      readonly reason: FailureReason;
      readonly partialText: string;
      readonly attempts: number;
    }
  | { readonly status: 'cancelled'; readonly partialText: string };

/** Where a request is now. */
export interface RequestProgress {
  readonly state: 'queued' | 'in_flight' | 'done';
  /** 0-based position among queued requests in dispatch order (queued only). */
  readonly position?: number;
  /** Estimated start (queued only). */
  readonly estimatedStartMs?: number;
  /** When a retry wait ends (queued after a failure). */
  readonly retryAtMs?: number;
  /** What it is waiting for (a code the models word). */
  readonly waitingFor?: WaitCause;
  readonly attempts: number;
  readonly model: string;
}

/** The caller's side of a submitted request. */
export interface RequestHandle {
  readonly id: string;
  /** Resolves exactly once; never rejects. */
  readonly result: Promise<RequestResult>;
  cancel(): void;
  progress(): RequestProgress;
  /** After a long-wait event: keep waiting, asking again after another `maxWaitMs`. */
  keepWaiting(): void;
  /** Sends the request (again) with another model, e.g. the fallback. */
  switchModel(model: string): void;
}

/** Raised when a request's estimated start passes its maximum wait. */
export interface LongWaitEvent {
  readonly requestId: string;
  readonly label?: string;
  readonly estimatedStartMs: number;
  readonly waitingFor: WaitCause;
}

/** A structured log line (no keys, no prompt bodies). */
export interface SchedulerLogEntry {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly message: string;
  readonly requestId?: string;
}
