import type {
  Attempt,
  AttemptError,
  AttemptOutcome,
  HeaderReader,
  Transport,
  Usage,
} from '../../../src/pacer/transport';

/** One attempt the scheduler made, waiting for the test to answer it. */
export interface PendingAttempt {
  readonly attempt: Attempt;
  readonly answer: (outcome: AttemptOutcome) => void;
  isAnswered: boolean;
}

/**
 * A transport whose attempts the test answers by hand, so each test decides exactly what the
 * server said and when. It records every attempt (one per HTTP request in the real transport).
 */
export class ScriptedTransport implements Transport {
  readonly attempts: PendingAttempt[] = [];

  send(attempt: Attempt): Promise<AttemptOutcome> {
    return new Promise((resolve) => {
      const pending: PendingAttempt = {
        attempt,
        isAnswered: false,
        answer: (outcome) => {
          if (pending.isAnswered) throw new Error('attempt answered twice');
          pending.isAnswered = true;
          resolve(outcome);
        },
      };
      attempt.signal.addEventListener('abort', () => {
        if (!pending.isAnswered)
          pending.answer(failure({ kind: 'aborted', message: 'Request was aborted.', midStream: false }));
      });
      this.attempts.push(pending);
    });
  }

  /** Attempts not answered yet. */
  get open(): PendingAttempt[] {
    return this.attempts.filter((a) => !a.isAnswered);
  }

  /** The n-th attempt ever made (0-based). */
  nth(n: number): PendingAttempt {
    const a = this.attempts[n];
    if (!a) throw new Error(`no attempt #${n} (only ${this.attempts.length})`);
    return a;
  }
}

/** A Headers-backed reader. */
export function headers(values: Record<string, string | number>): HeaderReader {
  return new Headers(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
}

/** Usage with only input and output tokens. */
export function usage(inputTokens: number, outputTokens: number, cacheRead = 0, cacheCreation = 0): Usage {
  return {
    inputTokens,
    outputTokens,
    cacheReadInputTokens: cacheRead,
    cacheCreationInputTokens: cacheCreation,
  };
}

/** A successful outcome. */
export function success(text: string, u: Usage, h: HeaderReader = headers({})): AttemptOutcome {
  return { kind: 'success', text, usage: u, stopReason: 'end_turn', headers: h };
}

/** A failed outcome. */
export function failure(error: AttemptError, h?: HeaderReader, partialText = ''): AttemptOutcome {
  return { kind: 'failure', error, partialText, ...(h ? { headers: h } : {}) };
}

/** Rate-limit headers as the API sends them, reset times relative to `nowMs`. */
export function rateHeaders(
  nowMs: number,
  dims: {
    requests?: [number, number, number];
    input?: [number, number, number];
    output?: [number, number, number];
    tokens?: [number, number, number];
  },
  extra: Record<string, string | number> = {},
): HeaderReader {
  const out: Record<string, string | number> = { 'anthropic-organization-id': 'org-1', ...extra };
  const put = (name: string, v?: [number, number, number]): void => {
    if (!v) return;
    out[`anthropic-ratelimit-${name}-limit`] = v[0];
    out[`anthropic-ratelimit-${name}-remaining`] = v[1];
    out[`anthropic-ratelimit-${name}-reset`] = new Date(nowMs + v[2] * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  };
  put('requests', dims.requests);
  put('input-tokens', dims.input);
  put('output-tokens', dims.output);
  put('tokens', dims.tokens);
  return headers(out);
}

/** Lets pending promise callbacks run (no time passes); one definition, in test/support. */
export { flush } from '../../support/submitAndDrain';
