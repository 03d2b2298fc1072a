// Two workbench windows (two extension hosts of one code-server) share one budget through the local
// coordinator: each status bar shows the windows icon and their count, and the details say "All windows".
import * as assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { demoConfig, demoKeys } from '../../sim/demoConfig';
import { startSimulator } from '../../sim/simulator';
import { waitUntil } from '../support/waitUntil';
import { withExtensionEnvironment } from './chatServers';
import { readStatusBarItem, statusBarItemId, type StatusBarItemState } from './statusBarItem';
import { type UiCheck } from './uiCheck';
import { chooseRow, findCommand, openWorkbench } from './workbench';

/** Waits until the status bar shows the windows icon with a count of at least two, and returns it. */
async function sharedStatus(page: Page, elementId: string): Promise<StatusBarItemState> {
  return waitUntil(() => readStatusBarItem(page, elementId), {
    what: 'the status bar to show the budget shared by two windows',
    timeoutMs: 30_000,
    intervalMs: 250,
    isDone: (s) => s.icons.includes('multiple-windows') && Number(/(\d+)\s*$/.exec(s.text)?.[1] ?? 0) >= 2,
  });
}

/** Opens the details view and returns the text of its "Budget" row. */
async function budgetRow(page: Page): Promise<string> {
  await chooseRow(page, await findCommand(page, 'Claude: Show Rate-Limit Details'));
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'All windows' }).first();
  await row.waitFor({ timeout: 15_000 });
  const text = (await row.getAttribute('aria-label')) ?? (await row.innerText());
  await page.keyboard.press('Escape');
  return text;
}

export const checks: UiCheck[] = [
  {
    name: 'two windows share one budget: both status bars show the windows and their count, the details say All windows',
    timeoutMs: 120_000,
    opensWorkbench: true,
    async run({ page, workbenchUrl, extensionId, screenshot, log }) {
      const sim = await startSimulator({ config: demoConfig(), port: 0 });
      const env = { CLAUDE_PACER_BASE_URL: sim.url, CLAUDE_PACER_DEMO_KEYS: demoKeys.flat().join(',') };
      const url = withExtensionEnvironment(workbenchUrl, env);
      const second = await page.context().newPage();
      try {
        await openWorkbench(page, url);
        await openWorkbench(second, url);
        const id = statusBarItemId(extensionId, 'claudePacer.status');
        const [first, other] = [await sharedStatus(page, id), await sharedStatus(second, id)];
        log(
          `first window: "${first.text}" [${first.icons.join(', ')}]; second: "${other.text}" [${other.icons.join(', ')}]`,
        );
        assert.match(first.ariaLabel, /Claude Pacer/);
        await screenshot('first window');
        const row = await budgetRow(second);
        log(`details of the second window: "${row}"`);
        assert.match(row, /All windows/);
        assert.match(row, /\d+ windows · kept by (this|another) window/);
      } finally {
        await second.close();
        await sim.close();
      }
    },
  },
];
