import * as vscode from 'vscode';
import { createSystemClock } from '../pacer/index';
import { budgetPlaceText } from './model/budgetPlaceText';
import { RepaintTimer } from './model/repaintTimer';
import { presentStatus } from './model/statusPresentation';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';

/** Id of the status-bar item (the DOM id is `claude-pacer.claude-pacer.claudePacer.status`). */
export const STATUS_ITEM_ID = 'claudePacer.status';
/** Coalesces bursts of scheduler changes into one repaint. */
const REPAINT_DELAY_MS = 100;

/**
 * The status-bar item: headroom of the pool the next request would use, queue, the queue's
 * countdown, which budget the window shares (and with how many; "fallback to local pacing" while
 * the team's Redis does not answer), theme colours for throttled and blocked states, a Markdown tooltip. It repaints each
 * second only while a countdown runs or a bucket refills; idle and full, no timer runs.
 */
export function registerStatusBar(
  context: vscode.ExtensionContext,
  service: PacerService,
): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('Claude Pacer');
  const clock = createSystemClock();
  let pending: ReturnType<typeof setTimeout> | undefined;

  const paint = (): void => {
    pending = undefined;
    const model = service.settings.model;
    const view = presentStatus(service.scheduler.snapshot(model), model, clock.now(), vscode.l10n.t);
    const place = budgetPlaceText(service.sharedBudget.place, vscode.l10n.t);
    item.text = place.statusText === '' ? view.text : `${view.text} ${place.statusText}`;
    const tooltip = new vscode.MarkdownString(`${view.tooltip}\n\n${place.tooltip}`);
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
    item.accessibilityInformation = {
      label: vscode.l10n.t('Claude Pacer: {0}', view.text.replace(/\$\([a-z-]+\)\s?/g, '')),
    };
    repaints.arm(view);
  };
  const repaints = new RepaintTimer(clock, paint);
  const schedulePaint = (): void => {
    pending ??= setTimeout(paint, REPAINT_DELAY_MS);
  };

  paint();
  item.show();
  const unsubscribe = service.scheduler.onChange(schedulePaint);
  const unsubscribePlace = service.sharedBudget.onDidChangePlace(schedulePaint);
  context.subscriptions.push(item, {
    dispose: () => {
      unsubscribe();
      unsubscribePlace();
      repaints.dispose();
      if (pending) clearTimeout(pending);
    },
  });
  context.subscriptions.push(service.keys.onDidChange(schedulePaint));
  return item;
}
