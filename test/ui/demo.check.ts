// The demo as `npm start` shows it: the demo simulator and its keys, the demo workspace's files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Page } from 'playwright-core';
import { demoConfig, demoKeys, demoOrganizationIds } from '../../sim/demoConfig';
import { startSimulator, type RunningSimulator } from '../../sim/simulator';
import { waitUntil } from '../support/waitUntil';
import { withExtensionEnvironment } from './chatServers';
import { lastAnswer, send } from './chatPage';
import { readStatusBarItem, statusBarItemId } from './statusBarItem';
import { type UiCheck, type UiCheckContext } from './uiCheck';
import {
  answerDialog,
  closeQuickInput,
  openWorkbench,
  readNotifications,
  runCommand,
  runWithInputs,
  UI_TIMEOUT_MS,
  waitForNotification,
  webviewFrame,
} from './workbench';

const DEMO_WORKSPACE = path.join(__dirname, '..', '..', 'demo', 'workspace');
// In parts, so secret scanners do not flag a fixture: a real-looking key that no server knows.
const REAL_LOOKING_KEY = ['sk-ant-api03', 'demoCheck-Hq81xW2mT4kRbLp9sV3n-0000', 'Zz9y'].join('-');
const DEMO_TIMEOUT_MS = 150_000;

/**
 * Starts the demo simulator, copies the demo workspace into this check's folder and opens the
 * workbench the way `npm start` does (demo keys and the simulator's URL in the extension host's
 * environment, nothing stored); always closes the simulator.
 */
async function withDemo(
  context: UiCheckContext,
  body: (sim: RunningSimulator) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({ config: demoConfig(), port: 0 });
  try {
    const folder = new URL(context.workbenchUrl).searchParams.get('folder') ?? '';
    fs.cpSync(DEMO_WORKSPACE, folder, { recursive: true });
    const env = { CLAUDE_PACER_BASE_URL: sim.url, CLAUDE_PACER_DEMO_KEYS: demoKeys.flat().join(',') };
    await openWorkbench(context.page, withExtensionEnvironment(context.workbenchUrl, env));
    await body(sim);
  } finally {
    await sim.close();
  }
}

/** Opens a workspace file with Quick Open and selects all of it. */
async function openAndSelectAll(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  await input.fill(fileName);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: fileName })
    .first()
    .waitFor({ timeout: UI_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: 'export' }).waitFor({ timeout: UI_TIMEOUT_MS });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+A');
}

/** The text of the open diff editor (side by side or inline: the window's width decides). */
function diffText(page: Page): Promise<string> {
  // Monaco renders spaces as no-break spaces.
  return page
    .locator('.monaco-diff-editor')
    .first()
    .innerText()
    .then((text) => text.replace(/\u00a0/g, ' '));
}

/** Opens Claude: Manage API Keys, waits for a row holding `expected`, and returns the rows' texts (the picker stays open). */
async function manageKeysRows(page: Page, expected: string): Promise<string[]> {
  await runCommand(page, 'Claude: Manage API Keys');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  // The picker opens after the free checks that find unknown organizations.
  await rows.filter({ hasText: expected }).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(300); // every row is rendered with the first
  return rows.allInnerTexts();
}

/** A check of the demo: its own demo simulator and workbench (see {@link withDemo}). */
function demoCheck(
  name: string,
  body: (context: UiCheckContext, sim: RunningSimulator) => Promise<void>,
): UiCheck {
  return {
    name,
    timeoutMs: DEMO_TIMEOUT_MS,
    opensWorkbench: true, // withDemo loads it with the demo's environment
    run: (context) => withDemo(context, (sim) => body(context, sim)),
  };
}

export const checks: UiCheck[] = [
  demoCheck(
    'demo: a chat answer has a heading, prose, a code block and its buttons',
    async ({ page, screenshot, log }) => {
      await runCommand(page, 'Claude: New Chat');
      const chat = webviewFrame(page);
      await chat.locator('#prompt').waitFor({ timeout: 30_000 });
      await send(chat, 'How does a token bucket work?');
      const answer = lastAnswer(chat);
      await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 60_000 });
      assert.equal(await answer.locator('.body h2').count(), 1, 'a heading');
      assert.ok((await answer.locator('.body p').count()) >= 1, 'prose');
      const code = await answer.locator('.body pre code').first().innerText();
      assert.ok(code.split('\n').length >= 2, `a code block of several lines: ${code}`);
      const buttons = await answer.locator('button.code-action').allInnerTexts();
      assert.deepEqual(buttons.slice(0, 3), ['Copy', 'Insert', 'Apply as diff']);
      // Highlighted: keyword tokens in the theme's keyword colour, not the code's own colour.
      const block = answer.locator('.body pre code').first();
      const keyword = block.locator('.hljs-keyword').first();
      await keyword.waitFor({ timeout: 5_000 });
      const tokens = await block.locator('span[class^="hljs-"]').count();
      const [keywordColor, codeColor] = await Promise.all([
        keyword.evaluate((el) => getComputedStyle(el).color),
        block.evaluate((el) => getComputedStyle(el).color),
      ]);
      assert.notEqual(keywordColor, codeColor, 'a keyword stands out from the rest of the code');
      await answer.locator('pre code').first().scrollIntoViewIfNeeded();
      log(
        `heading "${await answer.locator('.body h2').innerText()}"; code block of ${code.split('\n').length} lines, ${tokens} highlighted tokens (keyword ${keywordColor} on code ${codeColor}); buttons ${buttons.join(', ')}`,
      );
      await screenshot('answer-with-code');
    },
  ),
  demoCheck(
    'demo: Fix Selection on the demo workspace proposes a diff of real code; Accept Proposal in its title applies it and closes its notification',
    async ({ page, screenshot, log }) => {
      await openAndSelectAll(page, 'cart.ts');
      await runCommand(page, 'Claude: Fix Selection');
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 60_000 });
      const diff = await waitUntil(() => diffText(page), {
        isDone: (text) => text.includes('applyDiscount') && text.includes('Fixed: '),
        timeoutMs: 30_000,
        what: 'the diff of the proposal',
      });
      // The removed line and the line that replaces it, the comment saying why, and the rest of the code.
      assert.match(diff, /i <= items\.length/);
      assert.match(diff, /i < items\.length/);
      assert.match(diff, /Fixed: the loop ran one past the last element/);
      assert.match(diff, /export function applyDiscount/);
      assert.ok((await page.locator('.monaco-diff-editor .line-insert').count()) >= 2, 'inserted lines');
      assert.ok((await page.locator('.monaco-diff-editor .line-delete').count()) >= 1, 'a deleted line');
      log(
        `proposed: ${
          diff
            .split('\n')
            .find((l) => l.includes('Fixed:'))
            ?.trim() ?? ''
        }`,
      );
      // One notification for the proposal, and labelled buttons in the diff's title bar.
      const proposed = /Claude proposed a change to cart\.ts/;
      log(`notification: ${await waitForNotification(page, proposed)}`);
      const titleBar = page.locator('.editor-group-container.active .editor-actions');
      const accept = titleBar.locator('.action-label', { hasText: 'Accept Proposal' });
      await accept.waitFor({ timeout: UI_TIMEOUT_MS });
      await titleBar
        .locator('.action-label', { hasText: 'Reject Proposal' })
        .waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot('fix-diff');
      await accept.click();
      await page
        .locator('.monaco-diff-editor')
        .first()
        .waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      const left = await waitUntil(() => readNotifications(page), {
        isDone: (texts) => !texts.some((t) => proposed.test(t)),
        timeoutMs: UI_TIMEOUT_MS,
        intervalMs: 250,
        what: "the proposal's notification to close on Accept",
      });
      log(`after Accept: ${left.length} notification(s), none about the proposal`);
      await screenshot('accepted');
    },
  ),
  demoCheck(
    'demo: the key list tells the demo keys apart; adding a real-looking key says the demo cannot check it, a failed check is "could not check", and storing it says the demo keys stop',
    async ({ page, screenshot, log }, sim) => {
      const demoRows = await manageKeysRows(page, 'Simulator demo key');
      log(demoRows.map((t) => t.replace(/\n/g, ' | ')).join(' ;; '));
      assert.equal(demoRows.length, 3, 'the three demo keys, and no stored key');
      for (const [i, last4] of ['o1k1', 'o1k2', 'o2k1'].entries()) {
        assert.match(demoRows[i]!, new RegExp(`Simulator demo key ${i + 1}`));
        assert.match(demoRows[i]!, new RegExp(`…${last4}`));
        assert.match(demoRows[i]!, new RegExp(`organization ${demoOrganizationIds[i === 2 ? 1 : 0]}`));
      }
      for (const key of demoKeys.flat())
        assert.ok(!demoRows.join('\n').includes(key), 'no whole key is shown');
      await screenshot('demo-key-list');
      await closeQuickInput(page);

      await runWithInputs(page, 'Claude: Add API Key', [REAL_LOOKING_KEY]);
      const dialog = page
        .locator('.monaco-dialog-box')
        .filter({ hasText: /demo simulator/ })
        .first();
      await dialog.waitFor({ timeout: 30_000 });
      const question = await dialog.innerText();
      assert.match(
        question,
        /running on the demo simulator \(127\.0\.0\.1:\d+\), which cannot check a real key/,
      );
      assert.match(
        question,
        /switches Claude Pacer from the 3 simulator demo keys to your own keys, sent to api\.anthropic\.com/,
      );
      await screenshot('leaving-demo-question');
      await dialog.locator('.monaco-button', { hasText: 'Check with api.anthropic.com' }).first().click();
      const label = page.locator('.quick-input-widget input');
      await label.waitFor({ timeout: UI_TIMEOUT_MS });
      await page.waitForTimeout(150);
      await label.fill('my key');
      await page.keyboard.press('Enter');
      // This machine reaches no real API: the check must say so, not call the key rejected.
      const verdict = await waitForNotification(
        page,
        /Could not check this key with api\.anthropic\.com/,
        60_000,
      );
      assert.doesNotMatch(verdict, /rejected|did not accept/i);
      assert.match(
        verdict,
        /Storing it anyway switches from the demo keys to this key at api\.anthropic\.com/,
      );
      log(verdict);
      await screenshot('could-not-check');
      assert.equal(
        sim.stats().requestsByKey['unknown'] ?? 0,
        0,
        'the real-looking key never went to the simulator',
      );

      await page.locator('.notifications-center .monaco-button', { hasText: 'Store Anyway' }).first().click();
      const added = await waitForNotification(page, /Key "my key" \(…Zz9y\) added/, 30_000);
      assert.match(added, /added: could not check \(/);
      assert.match(
        added,
        /Claude Pacer now uses your own keys at api\.anthropic\.com; the 3 simulator demo keys are no longer used/,
      );
      assert.ok(!added.includes(REAL_LOOKING_KEY.slice(0, 20)), 'the key itself is not shown');
      log(added);
      await screenshot('switched-to-own-key');
      const ownRows = await manageKeysRows(page, 'my key');
      assert.equal(ownRows.length, 1);
      assert.match(ownRows[0]!, /my key.*…Zz9y.*could not check \(/s);
      log(ownRows[0]!.replace(/\n/g, ' | '));
      await closeQuickInput(page);
      // The demo keys come back for this file's next check (checks of one file share the browser profile).
      await runCommand(page, 'Claude: Remove All API Keys');
      await answerDialog(page, /Remove all 1 stored API key/, 'Remove All');
    },
  ),
  demoCheck(
    'demo: a few asks within a minute wait, with a countdown in the status bar',
    async ({ page, screenshot, log, extensionId }, sim) => {
      await runCommand(page, 'Claude: Show Log');
      const itemId = statusBarItemId(extensionId, 'claudePacer.status');
      // Asks in quick succession, as a person trying the demo would: two organizations of the demo
      // refill one request each per 10 s, while an answer streams for 3-7 s, so asks that each waited
      // for the previous answer could keep pace with the refill and never wait at all.
      let throttled: Awaited<ReturnType<typeof readStatusBarItem>> | undefined;
      const countdown = async (): Promise<void> => {
        const state = await readStatusBarItem(page, itemId);
        if (/\d:\d\d/.test(state.text)) throttled = state;
      };
      // Two asks back to back each round: on a loaded machine (two lanes of checks beside the unit
      // tier) one palette round trip took 7 s, slower than the demo's combined refill of one request
      // per 5 s, so one ask a round never waited.
      let asks = 0;
      while (asks < 12 && throttled === undefined) {
        for (let i = 0; i < 2; i++) {
          asks++;
          await runWithInputs(page, 'Claude: Ask…', [`demo question ${asks}: what is pacing?`]);
          // Let the answer's chat view take focus before the palette opens again (a palette
          // reopened in that moment lost its typed filter now and then).
          await page.waitForTimeout(1_000);
        }
        await countdown();
      }
      for (let i = 0; i < 75 && throttled === undefined; i++) {
        await page.waitForTimeout(200);
        await countdown();
      }
      assert.ok(
        throttled,
        `a countdown within ${asks} asks (${JSON.stringify(sim.stats().responsesByStatus)})`,
      );
      log(
        `after ${asks} asks: "${throttled.text}"; responses ${JSON.stringify(sim.stats().responsesByStatus)}`,
      );
      await screenshot('demo-countdown');
    },
  ),
];
