import * as vscode from 'vscode';
import { adviseOnFailure } from '../status/model/failureAdvice';
import type { AgentOutcome } from './model/agentTypes';
import type { ReviewResult } from './model/reviewSession';

/** One sentence for how a run ended, in the user's language (the model's own messages are English). */
export function outcomeSentence(outcome: Exclude<AgentOutcome, { status: 'cancelled' }>): string {
  if (outcome.status === 'answered') return vscode.l10n.t('Claude finished in {0} steps.', outcome.steps);
  if (outcome.status === 'stopped') {
    if (outcome.reason === 'max_steps')
      return vscode.l10n.t("Claude stopped at the run's limit of {0} steps.", outcome.steps);
    if (outcome.reason === 'max_input_tokens')
      return vscode.l10n.t(
        'Claude stopped: the run used its budget of input tokens ({0} drawn).',
        outcome.inputTokensDrawn,
      );
    return vscode.l10n.t(
      'Claude stopped: the next step would not fit, even with old tool results compacted.',
    );
  }
  if (outcome.failure.kind === 'request')
    return adviseOnFailure(outcome.failure.reason, vscode.l10n.t).message;
  if (outcome.failure.kind === 'output_limit')
    return vscode.l10n.t("Claude's reply reached its output limit in the middle of a tool call.");
  return vscode.l10n.t('The agent run failed: {0}', outcome.failure.message);
}

/** What the review did, one sentence per kind ("Written: a.ts. Rejected: b.ts."); empty when nothing was proposed. */
export function reviewSentence(result: ReviewResult): string {
  const parts: string[] = [];
  if (result.written.length > 0) parts.push(vscode.l10n.t('Written: {0}.', result.written.join(', ')));
  if (result.stale.length > 0)
    parts.push(vscode.l10n.t('Not written, changed meanwhile: {0}.', result.stale.join(', ')));
  if (result.rejected.length > 0) parts.push(vscode.l10n.t('Rejected: {0}.', result.rejected.join(', ')));
  return parts.join(' ');
}
