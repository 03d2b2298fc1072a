import * as assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { parseSimulatorConfig, startSimulator } from '../../sim/simulator';
import { type UiCheck } from './uiCheck';
import { readStatusBarItem, statusBarItemId } from './statusBarItem';
import { useUserSettings } from './userSettings';
import {
  answerDialog,
  chooseRow,
  findCommand,
  openWorkbench,
  runWithInputs,
  waitForNotification,
} from './workbench';
import { waitUntil } from '../support/waitUntil';

const STATUS_ITEM = 'claudePacer.status';
const UI_KEY = 'sk-ant-sim-ui-check-key-00004321';

/** Waits until the details view shows `url` as the endpoint, i.e. the user settings file was read. */
async function waitForEndpoint(page: Page, url: string): Promise<void> {
  await waitUntil(
    async () => {
      await chooseRow(page, await findCommand(page, 'Claude: Show Rate-Limit Details'));
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: url });
      const isShown = await row
        .first()
        .waitFor({ timeout: 1500 })
        .then(
          () => true,
          () => false,
        );
      await page.keyboard.press('Escape');
      return isShown;
    },
    {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: `the user setting claudePacer.baseUrl=${url} to take effect`,
    },
  );
}

/** Checks the add-key flow a person goes through, and what the status bar shows while throttled. */
export const checks: UiCheck[] = [
  {
    name: 'adding a key through the palette, then the status bar turns to a warning countdown while throttled and back',
    timeoutMs: 150_000,
    opensWorkbench: true,
    async run({ page, workbenchUrl, userSettingsFile, extensionId, screenshot, log }) {
      // 6 requests per minute enforced over 10 s windows: one burst request, then one every 10 s.
      const sim = await startSimulator({
        port: 0,
        config: parseSimulatorConfig({
          burstWindowSec: 10,
          reply: { minOutputTokens: 20, maxOutputTokens: 30, tokensPerSecond: 0 },
          organizations: [
            {
              id: '0e1c0de0-0000-4000-8000-00000000c0de',
              keys: [UI_KEY],
              limits: {
                default: {
                  requestsPerMinute: 6,
                  inputTokensPerMinute: 1_000_000,
                  outputTokensPerMinute: 400_000,
                },
              },
            },
          ],
        }),
      });
      // The endpoint is a user setting (application scope: a workspace value would be ignored).
      const restoreSettings = useUserSettings(userSettingsFile, { 'claudePacer.baseUrl': sim.url });
      try {
        // A new extension host reads the user setting at start (an edited file is not always picked up live).
        await openWorkbench(page, workbenchUrl);
        const itemId = statusBarItemId(extensionId, STATUS_ITEM);
        await waitForEndpoint(page, sim.url);

        await runWithInputs(page, 'Claude: Add API Key', [UI_KEY, 'ui check key']);
        // The first key check to this host asks once, naming it; the asks below must not ask again.
        const host = new URL(sim.url).host;
        const question = await answerDialog(page, /Send your Claude API keys to/, 'Send Keys', 30_000);
        assert.ok(question.includes(`Send your Claude API keys to ${host}?`), question);
        log(`asked: "${question.split('\n').find((line) => line.includes('Send your')) ?? question}"`);
        const added = await waitForNotification(page, /Key "ui check key" \(…4321\) added/, 30_000);
        assert.match(added, /works \(organization 0e1c0de0-0000-4000-8000-00000000c0de\)/);
        log(added);
        await page.keyboard.press('Escape');
        await screenshot('key-added');
        // The status bar follows the key store's change event: it may still be on its way.
        const ready = await waitUntil(() => readStatusBarItem(page, itemId), {
          what: 'the status bar to leave "Add Claude key"',
          timeoutMs: 15_000,
          intervalMs: 250,
          isDone: (item) => !/Add Claude key/.test(item.text),
        });
        assert.ok(!ready.classes.includes('warning-kind'), `not throttled yet: ${ready.classes.join(' ')}`);
        log(`after adding: "${ready.text}"`);

        // Ask posts into the chat view, one message at a time. The first answer takes the only burst
        // slot (6 per minute over 10 s windows); the second question must then wait about 10 s.
        await runWithInputs(page, 'Claude: Ask…', ['question 1: what is pacing?']);
        const first = await readStatusBarItem(page, itemId);
        for (let i = 0; i < 40; i++) {
          if ((sim.stats().responsesByStatus['200'] ?? 0) >= 2) break;
          await page.waitForTimeout(250);
        }
        log(`after the first answer: "${first.text}"`);
        await runWithInputs(page, 'Claude: Ask…', ['question 2: and what is a token bucket?']);
        let throttled = await readStatusBarItem(page, itemId);
        for (let i = 0; i < 50 && !throttled.classes.includes('warning-kind'); i++) {
          await page.waitForTimeout(200);
          throttled = await readStatusBarItem(page, itemId);
        }
        assert.ok(
          throttled.classes.includes('warning-kind'),
          `warning colour while throttled: ${throttled.classes.join(' ')}`,
        );
        assert.match(throttled.text, /\d:\d\d/, 'a live countdown');
        assert.notEqual(throttled.background, ready.background, 'the background changes colour');
        log(`throttled: "${throttled.text}", background ${throttled.background}`);
        await screenshot('throttled');

        let calm = throttled;
        for (let i = 0; i < 120 && calm.classes.includes('warning-kind'); i++) {
          await page.waitForTimeout(500);
          calm = await readStatusBarItem(page, itemId);
        }
        assert.ok(!calm.classes.includes('warning-kind'), 'the warning clears once the queue has drained');
        log(`after the queue drained: "${calm.text}"`);
        const answered = sim.stats().responsesByStatus['200'] ?? 0;
        assert.ok(answered >= 3, `the key check and both answers went through (${answered} × 200)`);
        assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'asked only once for this host');
      } finally {
        restoreSettings();
        await sim.close();
      }
    },
  },
];
