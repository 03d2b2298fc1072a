import { promptSizeProblem } from './chatPromptSize';
import type { ComposerBudget } from './chatProtocol';

/** What the composer says under a draft: its input-token estimate, and a warning when it can never be sent. */
export interface DraftEstimate {
  /** "≈ 1,234 input tokens of 30,000/min · model", or '' before the host sent a budget. */
  readonly estimate: string;
  /** Why the draft can never be sent, or ''. */
  readonly warning: string;
  /** True when the draft needs more input tokens than the per-minute limit. */
  readonly isTooBig: boolean;
  /** True when the draft is longer than the host accepts in one message (it would be refused). */
  readonly isTooLong: boolean;
}

/** The estimate of `draft` against `budget` (undefined until the host sent one). */
export function estimateDraft(budget: ComposerBudget | undefined, draft: string): DraftEstimate {
  const tokens = budget ? budget.baseTokens + Math.ceil(draft.length / budget.charsPerToken) : 0;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const estimate = budget
    ? `≈ ${fmt(tokens)} input tokens${budget.limitTokens !== undefined ? ` of ${fmt(budget.limitTokens)}/min` : ''} · ${budget.model}`
    : '';
  const isTooBig = budget?.limitTokens !== undefined && tokens > budget.limitTokens;
  const tooLong = promptSizeProblem(draft);
  const warning =
    tooLong ??
    (isTooBig
      ? `This message needs about ${fmt(tokens)} input tokens, more than your limit of ${fmt(budget.limitTokens ?? 0)} per minute, so it can never be sent. Shorten it or turn off some context.`
      : '');
  return { estimate, warning, isTooBig, isTooLong: tooLong !== undefined };
}
