import type { CooledLimit, Dimension, WaitCause } from '../../pacer/index';
import { ENGLISH, type Localize } from './localize';

/** What a queued request waits for as the models see it: the engine's causes, and a retry after a failed attempt. */
export type ShownWaitCause = WaitCause | { readonly kind: 'failed_attempt_retry' };

const DIMENSION_TEXT: Readonly<Record<Dimension, (t: Localize) => string>> = {
  requests: (t) => t('requests per minute'),
  inputTokens: (t) => t('input tokens per minute'),
  outputTokens: (t) => t('output tokens per minute'),
  tokens: (t) => t('total tokens per minute'),
};

function cooledLimitText(limit: CooledLimit, t: Localize): string {
  if (limit === 'acceleration') return t('acceleration limit');
  if (limit === 'unnamed') return t('a limit the server did not name');
  return DIMENSION_TEXT[limit](t);
}

/** The cause in words, to follow "Waiting for": "input tokens per minute", "a free slot", … */
export function waitCauseText(cause: ShownWaitCause, t: Localize = ENGLISH): string {
  switch (cause.kind) {
    case 'free_slot':
      return t('a free slot');
    case 'limit':
      return DIMENSION_TEXT[cause.dimension](t);
    case 'cool_down':
      return t('cool-down after a 429 on {0}', cooledLimitText(cause.limit, t));
    case 'ramp':
      return t('slower ramp-up after an acceleration limit');
    case 'first_response':
      return t('first response (learning the limits)');
    case 'transient_retry':
      return t('retry after a transient error');
    case 'queued_ahead':
      return t('requests queued ahead of it');
    case 'shared_budget':
      return t('the budget shared with other windows');
    case 'failed_attempt_retry':
      return t('retry after a failed attempt');
  }
}
