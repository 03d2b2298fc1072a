import type { RequestResult } from '../../pacer/index';
import { adviseOnFailure } from '../../status/model/failureAdvice';
import { ENGLISH, type Localize } from '../../status/model/localize';

/** VS Code's `LanguageModelError` codes we use; `undefined` is a plain error with our message. */
export type LmErrorCode = 'NoPermissions' | 'Blocked' | 'Cancelled' | undefined;

/** A failure to raise as a `LanguageModelError`: our one-sentence reason and the code that fits. */
export interface LmFailure {
  readonly message: string;
  readonly code: LmErrorCode;
}

/**
 * The error a provider response raises for a request that did not complete, or undefined for a
 * completed one. A failure after output was streamed says so: the partial answer is never re-sent.
 */
export function lmFailureOf(result: RequestResult, t: Localize = ENGLISH): LmFailure | undefined {
  if (result.status === 'completed') return undefined;
  if (result.status === 'cancelled') return { message: t('The request was cancelled.'), code: 'Cancelled' };
  const { message } = adviseOnFailure(result.reason, t);
  switch (result.reason.kind) {
    case 'no_keys':
    case 'key_rejected':
    case 'insecure_endpoint':
      return { message, code: 'NoPermissions' };
    case 'spend_limit':
    case 'billing':
    case 'daily_budget':
      return { message, code: 'Blocked' };
    default:
      return { message, code: undefined };
  }
}
