import type { FailureReason } from '../../pacer/index';
import { ENGLISH, type Localize } from './localize';

/** Actions the UI can offer next to an error. */
export type FixAction = 'addKey' | 'manageKeys' | 'openSettings' | 'showLog' | 'retry' | 'continue';

/** One sentence for the user and the actions that fix it. */
export interface FailureAdvice {
  readonly message: string;
  readonly actions: readonly FixAction[];
}

/** Turns a failure reason into one sentence plus the actions that fix it. */
export function adviseOnFailure(reason: FailureReason, t: Localize = ENGLISH): FailureAdvice {
  switch (reason.kind) {
    case 'no_keys':
      return {
        message: t('Claude Pacer has no API key yet. Add one to send requests.'),
        actions: ['addKey'],
      };
    case 'key_rejected':
      return {
        message: reason.lastError
          ? t('The server rejected your API key ({0}). Check or replace it.', reason.lastError.message)
          : t('The server rejected your API key. Check or replace it.'),
        actions: ['manageKeys', 'addKey', 'showLog'],
      };
    case 'spend_limit': {
      const message =
        reason.resumesAtMs !== undefined
          ? t(
              'Your API usage limit is reached. Access resumes {0}.',
              new Date(reason.resumesAtMs).toUTCString(),
            )
          : t('Your API usage limit is reached.');
      return { message, actions: ['manageKeys', 'showLog'] };
    }
    case 'daily_budget':
      return { message: reason.message, actions: ['manageKeys', 'openSettings'] };
    case 'billing':
      return {
        message: t('Anthropic reported a billing problem for your organization.'),
        actions: ['manageKeys', 'showLog'],
      };
    case 'insecure_endpoint':
      return { message: reason.message, actions: ['openSettings'] };
    case 'redirected':
      return { message: reason.message, actions: ['openSettings', 'showLog'] };
    case 'endpoint_not_approved':
      return { message: reason.message, actions: ['retry', 'openSettings'] };
    case 'never_fits':
      return { message: reason.message, actions: ['openSettings'] };
    case 'rejected':
      return { message: reason.message, actions: ['showLog'] };
    case 'rate_limited':
      return {
        message: t('Claude kept rate-limiting this request. {0}', reason.message),
        actions: ['retry', 'openSettings', 'showLog'],
      };
    case 'retries_exhausted':
      return { message: reason.message, actions: ['retry', 'showLog'] };
    case 'interrupted':
      return { message: reason.message, actions: ['continue', 'showLog'] };
    case 'shutdown':
      return { message: reason.message, actions: [] };
  }
}
