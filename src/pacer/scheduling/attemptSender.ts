import { transportCrash } from '../limits/attemptAccounting';
import type { AttemptOutcome, HeaderReader, Transport } from '../transport';
import type { InFlightAttempt, RequestEntry } from './requestEntry';

/** What the scheduler does with an attempt's stream as it arrives. */
export interface AttemptHooks {
  /** The caller's text listener threw (the stream goes on). */
  onTextError(error: unknown): void;
  /** A 200's headers arrived, once per attempt, before any text. */
  onHeaders(headers: HeaderReader): void;
}

/**
 * Hands one attempt to the transport: text goes to the request's listener only while this is its
 * live attempt, headers are passed on once, and a transport that throws or rejects (its contract
 * says it must not) still yields exactly one outcome.
 */
export async function sendAttempt(
  transport: Transport,
  entry: RequestEntry,
  attempt: InFlightAttempt,
  keyId: string,
  controller: AbortController,
  hooks: AttemptHooks,
): Promise<AttemptOutcome> {
  try {
    return await transport.send({
      requestId: entry.id,
      keyId,
      request: entry.request,
      attemptNumber: entry.attempts,
      signal: controller.signal,
      onText: (delta) => {
        if (entry.inFlight !== attempt || entry.state === 'done' || delta === '') return;
        entry.partialText += delta;
        try {
          entry.options.onText?.(delta);
        } catch (error) {
          hooks.onTextError(error);
        }
      },
      onHeaders: (headers) => {
        if (attempt.isSynced) return;
        attempt.isSynced = true;
        hooks.onHeaders(headers);
      },
    });
  } catch (error) {
    return transportCrash(error);
  }
}
