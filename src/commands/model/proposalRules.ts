import { ENGLISH, type Localize } from '../../status/model/localize';

/** What happened to a proposal when it was accepted, rejected or replaced. */
export type ProposalOutcome =
  | 'applied'
  | 'rejected'
  /** A newer proposal for the same document replaced it. */
  | 'superseded'
  /** The document changed after the request: applying it could overwrite the user's edits. */
  | 'stale'
  /** The editor refused the edit (a read-only or closed document). */
  | 'refused'
  /** No such proposal is pending (already accepted, rejected or replaced). */
  | 'unknown';

/** The part of a pending proposal the rules read: its id and its document's URI as a string. */
export interface PendingProposalKey {
  readonly id: string;
  readonly target: string;
}

/** The pending proposals a new proposal for `target` replaces: every earlier one for the same document. */
export function supersededBy(pending: readonly PendingProposalKey[], target: string): string[] {
  return pending.filter((p) => p.target === target).map((p) => p.id);
}

/**
 * Whether a proposal can no longer be applied safely: its document's version moved on since the
 * request (any edit, anywhere in it), or its range no longer holds the text Claude was shown.
 */
export function isStale(
  proposal: { readonly version: number; readonly originalText: string },
  now: { readonly version: number; readonly textInRange: string },
): boolean {
  return now.version !== proposal.version || now.textInRange !== proposal.originalText;
}

/** A sentence for the user about an Accept or Reject, and how loud it is. */
export interface ProposalNotice {
  readonly level: 'info' | 'warning';
  readonly text: string;
}

/** What the user is told after Accept or Reject; undefined when it simply did what was asked. */
export function outcomeNotice(
  action: 'accept' | 'reject',
  outcome: ProposalOutcome,
  t: Localize = ENGLISH,
): ProposalNotice | undefined {
  switch (outcome) {
    case 'stale':
      return {
        level: 'warning',
        text: t(
          "The file changed after Claude's proposal was made, so the proposal is stale and was not applied. Run the command again on the current text.",
        ),
      };
    case 'refused':
      return {
        level: 'warning',
        text: t(
          "Claude's proposal could not be applied: the editor refused the edit (is the file read-only?).",
        ),
      };
    case 'unknown':
      return {
        level: 'info',
        text:
          action === 'accept'
            ? t(
                'Nothing was applied: that proposal is no longer pending (it was accepted, rejected or replaced by a newer one).',
              )
            : t('That proposal is no longer pending (it was accepted, rejected or replaced by a newer one).'),
      };
    case 'applied':
    case 'rejected':
    case 'superseded':
      return undefined;
  }
}
