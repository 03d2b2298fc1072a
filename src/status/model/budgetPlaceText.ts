import { type Localize } from './localize';
import { escapeMarkdown } from './statusTooltip';

/**
 * Which budget this window paces against (the shape `SwitchableSharedBudget.place` gives): its own,
 * the one the windows of this machine share (`role`: this window keeps it, asks the window that
 * does, or is finding it), or a team's in Redis at `host` (`isUp`: Redis answers).
 */
export type BudgetPlaceView =
  | { readonly kind: 'local' }
  | {
      readonly kind: 'windows';
      readonly role: 'electing' | 'coordinator' | 'client';
      readonly windowCount: number;
    }
  | { readonly kind: 'redis'; readonly host: string; readonly isUp: boolean; readonly clientCount: number };

/** What the status bar and the details view say about the budget. */
export interface BudgetPlaceText {
  /** Appended to the status-bar text; '' when there is nothing worth the room (this window alone). */
  readonly statusText: string;
  /** One Markdown line for the tooltip. */
  readonly tooltip: string;
  /** The details view's row: codicon name, label and description. */
  readonly icon: string;
  readonly label: string;
  readonly description: string;
  /** True while a shared budget is out of reach and this window paces on its own. */
  readonly isFallback: boolean;
}

/**
 * The budget's words: "this window", "all windows" (with how many share it and whether this one
 * keeps it) or "team at <host>" (with how many clients); when Redis does not answer, "fallback to
 * local pacing", also in the status bar, until it is back (re-joined: the team's words return).
 * The host is shown as given (`host[:port]`), never a user or password.
 */
export function budgetPlaceText(place: BudgetPlaceView, t: Localize): BudgetPlaceText {
  switch (place.kind) {
    case 'local':
      return {
        statusText: '',
        tooltip: t('Budget: this window'),
        icon: 'window',
        label: t('This window'),
        description: t('its own budget: other windows and teammates are not counted'),
        isFallback: false,
      };
    case 'windows':
      return windowsText(place, t);
    case 'redis':
      return redisText(place, t);
  }
}

function windowsText(place: Extract<BudgetPlaceView, { kind: 'windows' }>, t: Localize): BudgetPlaceText {
  if (place.role === 'electing')
    return {
      statusText: '',
      tooltip: t('Budget: this window, until it finds the other windows of this machine'),
      icon: 'multiple-windows',
      label: t('All windows'),
      description: t('finding the other windows: pacing on its own meanwhile'),
      isFallback: false,
    };
  const windows = Math.max(place.windowCount, 1);
  const count = windows === 1 ? t('1 window') : t('{0} windows', windows);
  const keeper = place.role === 'coordinator' ? t('kept by this window') : t('kept by another window');
  return {
    // One window alone shares with nobody: the status bar keeps its room.
    statusText: windows > 1 ? `$(multiple-windows) ${windows}` : '',
    tooltip: t('Budget: all windows of this machine ({0}, {1})', count, keeper),
    icon: 'multiple-windows',
    label: t('All windows'),
    description: `${count} · ${keeper}`,
    isFallback: false,
  };
}

function redisText(place: Extract<BudgetPlaceView, { kind: 'redis' }>, t: Localize): BudgetPlaceText {
  if (!place.isUp)
    return {
      statusText: `$(debug-disconnect) ${t('fallback to local pacing')}`,
      tooltip: t(
        'Budget: team at {0} does not answer: fallback to local pacing until it is back',
        escapeMarkdown(place.host),
      ),
      icon: 'debug-disconnect',
      label: t('Team at {0}', place.host),
      description: t('not answering: fallback to local pacing, re-joins when it is back'),
      isFallback: true,
    };
  // Before its first heartbeat a client has counted nobody, itself included.
  const clients = Math.max(place.clientCount, 1);
  const count = clients === 1 ? t('1 client') : t('{0} clients', clients);
  return {
    statusText: `$(organization) ${clients}`,
    tooltip: t('Budget: team at {0} ({1})', escapeMarkdown(place.host), count),
    icon: 'organization',
    label: t('Team at {0}', place.host),
    description: count,
    isFallback: false,
  };
}
