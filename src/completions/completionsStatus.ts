import * as vscode from 'vscode';
import type { PauseReason } from './model/completionPipeline';

/** Id of the status-bar hint shown while completions are paused. */
export const COMPLETIONS_STATUS_ID = 'claudePacer.completionsStatus';

/** Text of the hint while completions are shed for the rate limit. */
function pausedText(): string {
  return `$(debug-pause) ${vscode.l10n.t('completions paused (rate limit)')}`;
}

/**
 * A status-bar hint that appears while inline completions are shed, because the pool is tight or
 * their daily budget is spent, and hides itself when they resume; background throttling changes
 * only the status bar.
 */
export class CompletionsStatus implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  #hideTimer: ReturnType<typeof setTimeout> | undefined;
  #reason: PauseReason | undefined;

  constructor() {
    this.#item = vscode.window.createStatusBarItem(
      COMPLETIONS_STATUS_ID,
      vscode.StatusBarAlignment.Right,
      99,
    );
    this.#item.name = vscode.l10n.t('Claude Pacer completions');
    this.#item.text = pausedText();
    this.#item.accessibilityInformation = {
      label: vscode.l10n.t('Claude inline completions paused by the rate limit'),
    };
  }

  /** True while the hint shows. */
  get isPaused(): boolean {
    return this.#hideTimer !== undefined;
  }

  /** Why the hint shows, while it does. */
  get reason(): PauseReason | undefined {
    return this.#reason;
  }

  /** Shows the hint until `untilMs` (epoch ms), when completions resume by themselves. */
  pausedUntil(untilMs: number, reason: PauseReason = 'rate_limit'): void {
    if (this.#hideTimer) clearTimeout(this.#hideTimer);
    const at = new Date(untilMs).toLocaleTimeString();
    const isBudget = reason === 'budget';
    this.#item.text = isBudget
      ? `$(debug-pause) ${vscode.l10n.t('daily completion budget reached')}`
      : pausedText();
    this.#item.accessibilityInformation = {
      label: isBudget
        ? vscode.l10n.t('Claude inline completions stopped: their daily token budget is reached')
        : vscode.l10n.t('Claude inline completions paused by the rate limit'),
    };
    const tooltip = new vscode.MarkdownString(
      isBudget
        ? vscode.l10n.t(
            'Inline completions spent their daily token budget (claudePacer.inlineCompletions.dailyTokenBudget); chat and commands go on. They resume at midnight, at about {0}.',
            at,
          )
        : vscode.l10n.t(
            'Inline completions are skipped while chat and commands need the rate limit; they resume by themselves at about {0}.',
            at,
          ),
    );
    tooltip.isTrusted = false;
    this.#item.tooltip = tooltip;
    this.#item.show();
    this.#reason = reason;
    // setTimeout holds at most ~24.8 days; a budget pause lasts until the next midnight.
    this.#hideTimer = setTimeout(
      () => this.resumed(),
      Math.min(2_147_483_647, Math.max(0, untilMs - Date.now())),
    );
  }

  /** Hides the hint. */
  resumed(): void {
    if (this.#hideTimer) clearTimeout(this.#hideTimer);
    this.#hideTimer = undefined;
    this.#reason = undefined;
    this.#item.hide();
  }

  dispose(): void {
    this.resumed();
    this.#item.dispose();
  }
}
