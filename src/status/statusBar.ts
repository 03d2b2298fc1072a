import * as vscode from 'vscode';
import { presentStatus } from './model/statusPresentation';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';

/** Id of the status-bar item (the DOM id is `claude-pacer.claude-pacer.claudePacer.status`). */
export const STATUS_ITEM_ID = 'claudePacer.status';
/** Coalesces bursts of scheduler changes into one repaint. */
const REPAINT_DELAY_MS = 100;

/**
 * The status-bar item: headroom, queue, a live countdown (ticking each second only while one
 * runs), theme colours for throttled and blocked states, a Markdown tooltip per pool and key.
 */
export function registerStatusBar(
  context: vscode.ExtensionContext,
  service: PacerService,
): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
  item.name = 'Claude Pacer';
  let ticker: ReturnType<typeof setInterval> | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;

  const paint = (): void => {
    pending = undefined;
    const now = Date.now();
    const view = presentStatus(service.scheduler.snapshot(), service.settings.model, now);
    item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    item.command = view.needsKey ? COMMANDS.addApiKey : COMMANDS.showDetails;
    item.backgroundColor =
      view.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.accessibilityInformation = { label: `Claude Pacer: ${view.text.replace(/\$\([a-z-]+\)\s?/g, '')}` };
    if (view.countdownToMs !== undefined && !ticker) ticker = setInterval(paint, 1000);
    if (view.countdownToMs === undefined && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
  const schedulePaint = (): void => {
    pending ??= setTimeout(paint, REPAINT_DELAY_MS);
  };

  paint();
  item.show();
  const unsubscribe = service.scheduler.onChange(schedulePaint);
  context.subscriptions.push(item, {
    dispose: () => {
      unsubscribe();
      if (ticker) clearInterval(ticker);
      if (pending) clearTimeout(pending);
    },
  });
  context.subscriptions.push(service.keys.onDidChange(schedulePaint));
  return item;
}
