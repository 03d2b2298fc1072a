import { promptSizeProblem } from './chatPromptSize';
import type { ComposerBudget } from './chatProtocol';
import { ENGLISH, type Localize } from '../../status/model/localize';

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
export function estimateDraft(
  budget: ComposerBudget | undefined,
  draft: string,
  t: Localize = ENGLISH,
): DraftEstimate {
  const tokens = budget ? budget.baseTokens + Math.ceil(draft.length / budget.charsPerToken) : 0;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const estimate = !budget
    ? ''
    : budget.limitTokens !== undefined
      ? t('≈ {0} input tokens of {1}/min · {2}', fmt(tokens), fmt(budget.limitTokens), budget.model)
      : t('≈ {0} input tokens · {1}', fmt(tokens), budget.model);
  const isTooBig = budget?.limitTokens !== undefined && tokens > budget.limitTokens;
  const tooLong = promptSizeProblem(draft, t);
  const warning =
    tooLong ??
    (isTooBig
      ? t(
          'This message needs about {0} input tokens, more than your limit of {1} per minute, so it can never be sent. Shorten it or turn off some context.',
          fmt(tokens),
          fmt(budget.limitTokens ?? 0),
        )
      : '');
  return { estimate, warning, isTooBig, isTooLong: tooLong !== undefined };
}
