import type { ChatTurn } from './chatConversation';
import type { RequestResult } from '../../pacer/index';
import { adviseOnFailure } from '../../status/model/failureAdvice';
import { ENGLISH, type Localize } from '../../status/model/localize';

/** The stop reason the API gives when an answer used all of its `max_tokens`. */
export const OUTPUT_LIMIT_STOP_REASON = 'max_tokens';

/** Whether a request's answer arrived whole but was cut off at the output limit (`max_tokens`). */
export function isCutOffAtOutputLimit(result: RequestResult): boolean {
  return result.status === 'completed' && result.stopReason === OUTPUT_LIMIT_STOP_REASON;
}

/** How a chat answer ended, for the chat view and `@claude` alike; failures carry one sentence of advice. */
export type AnswerEnding =
  | { readonly kind: 'completed'; readonly model: string }
  /** The server ended the answer at the output limit: it is incomplete, and Continue carries on. */
  | { readonly kind: 'cutOff'; readonly model: string }
  | { readonly kind: 'stopped'; readonly hasText: boolean }
  | { readonly kind: 'interrupted'; readonly advice: string }
  | { readonly kind: 'failed'; readonly advice: string };

/** The ending of `result`; `hasText` says whether any of the answer had arrived (a failure then interrupts it). */
export function answerEndingOf(result: RequestResult, hasText: boolean, t: Localize = ENGLISH): AnswerEnding {
  if (result.status === 'completed')
    return { kind: isCutOffAtOutputLimit(result) ? 'cutOff' : 'completed', model: result.model };
  if (result.status === 'cancelled') return { kind: 'stopped', hasText };
  const advice = adviseOnFailure(result.reason, t).message;
  return hasText ? { kind: 'interrupted', advice } : { kind: 'failed', advice };
}

/** The sentence said wherever an answer was cut off at the output limit. */
export function cutOffNote(t: Localize = ENGLISH): string {
  return t('Cut off at the output limit (claudePacer.maxOutputTokens): the answer is incomplete.');
}

/** The assistant turn once its answer ended: its status and the note the chat view shows. */
export function endedTurn(turn: ChatTurn, ending: AnswerEnding, t: Localize = ENGLISH): ChatTurn {
  switch (ending.kind) {
    case 'completed':
      return { ...turn, status: 'complete', model: ending.model };
    case 'cutOff':
      // Interrupted, so the page offers Continue, as for any answer that did not end on its own.
      return { ...turn, status: 'interrupted', model: ending.model, note: cutOffNote(t) };
    case 'stopped':
      return {
        ...turn,
        status: 'stopped',
        note: ending.hasText ? t('Stopped.') : t('Stopped before Claude answered.'),
      };
    case 'interrupted':
      return { ...turn, status: 'interrupted', note: t('Interrupted: {0}', ending.advice) };
    case 'failed':
      return { ...turn, status: 'failed', note: ending.advice };
  }
}
