import type { FailureReason } from '../../pacer/index';

/** Actions the UI can offer next to an error. */
export type FixAction = 'addKey' | 'manageKeys' | 'openSettings' | 'showLog' | 'retry' | 'continue';

/** One sentence for the user and the actions that fix it. */
export interface FailureAdvice {
  readonly message: string;
  readonly actions: readonly FixAction[];
}

/** Turns a failure reason into one sentence plus the actions that fix it. */
export function adviseOnFailure(reason: FailureReason): FailureAdvice {
  switch (reason.kind) {
    case 'no_keys':
      return { message: 'Claude Pacer has no API key yet. Add one to send requests.', actions: ['addKey'] };
    case 'key_rejected':
      return {
        message: `The server rejected your API key${reason.lastError ? ` (${reason.lastError.message})` : ''}. Check or replace it.`,
        actions: ['manageKeys', 'addKey', 'showLog'],
      };
    case 'spend_limit': {
      const when =
        reason.resumesAtMs !== undefined
          ? ` Access resumes ${new Date(reason.resumesAtMs).toUTCString()}.`
          : '';
      return { message: `Your API usage limit is reached.${when}`, actions: ['manageKeys', 'showLog'] };
    }
    case 'daily_budget':
      return { message: reason.message, actions: ['manageKeys', 'openSettings'] };
    case 'billing':
      return {
        message: 'Anthropic reported a billing problem for your organization.',
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
        message: `Claude kept rate-limiting this request. ${reason.message}`,
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
