import * as vscode from 'vscode';

/** Id of the status-bar hint shown while completions are paused. */
export const COMPLETIONS_STATUS_ID = 'claudePacer.completionsStatus';

/** Text of the hint while completions are shed for the rate limit. */
export const PAUSED_TEXT = '$(debug-pause) completions paused (rate limit)';

/**
 * A status-bar hint that appears while inline completions are shed because the pool is tight and
 * hides itself when they resume; background throttling changes only the status bar.
 */
export class CompletionsStatus implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  #hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.#item = vscode.window.createStatusBarItem(
      COMPLETIONS_STATUS_ID,
      vscode.StatusBarAlignment.Right,
      99,
    );
    this.#item.name = 'Claude Pacer completions';
    this.#item.text = PAUSED_TEXT;
    this.#item.accessibilityInformation = { label: 'Claude inline completions paused by the rate limit' };
  }

  /** True while the hint shows. */
  get isPaused(): boolean {
    return this.#hideTimer !== undefined;
  }

  /** Shows the hint until `untilMs` (epoch ms), when completions resume by themselves. */
  pausedUntil(untilMs: number): void {
    if (this.#hideTimer) clearTimeout(this.#hideTimer);
    const tooltip = new vscode.MarkdownString(
      `Inline completions are skipped while chat and commands need the rate limit; they resume by themselves at about ${new Date(untilMs).toLocaleTimeString()}.`,
    );
    tooltip.isTrusted = false;
    this.#item.tooltip = tooltip;
    this.#item.show();
    this.#hideTimer = setTimeout(() => this.resumed(), Math.max(0, untilMs - Date.now()));
  }

  /** Hides the hint. */
  resumed(): void {
    if (this.#hideTimer) clearTimeout(this.#hideTimer);
    this.#hideTimer = undefined;
    this.#item.hide();
  }

  dispose(): void {
    this.resumed();
    this.#item.dispose();
  }
}
