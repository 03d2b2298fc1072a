import * as assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { CHAT_ORG, startChatSimulator } from './chatServers';
import { CHECK_TIMEOUT_MS, countdownSeconds, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';
import { readStatusBarItem, statusBarItem, statusBarItemId } from './statusBarItem';
import { chooseRow, closeQuickInput, runCommand, searchCommands } from './workbench';
import { waitUntil } from '../support/waitUntil';

const STATUS_ITEM = 'claudePacer.status';

/** The figure of a status text like "Claude 42% …", or undefined when it shows none. */
function figure(text: string): number | undefined {
  const match = /Claude (\d+)%/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** "starts in m:ss" of the hover's queue line, in seconds. */
function hoverCountdownSeconds(hover: string): number {
  const match = /Queue: Waiting for .* · starts in (\d+):(\d\d)/.exec(hover);
  assert.ok(match, `the hover names the queue's wait: ${hover}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Hovers the status-bar item and returns the text of its hover (the Markdown tooltip). */
async function readHover(page: Page, itemId: string): Promise<string> {
  await page.mouse.move(0, 0);
  await statusBarItem(page, itemId).hover();
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Next request' }).first();
  await hover.waitFor({ timeout: 10_000 });
  return (await hover.innerText()).replace(/\s+/g, ' ');
}

/** Runs a palette command found by a partial title (for VS Code's own, whose exact titles vary by version). */
async function runCommandLike(page: Page, query: string, pattern: RegExp): Promise<void> {
  const labels = await searchCommands(page, query);
  const label = labels.find((l) => pattern.test(l));
  assert.ok(label, `the palette lists ${pattern}: ${JSON.stringify(labels)}`);
  await chooseRow(
    page,
    page.locator('.quick-input-list .monaco-list-row').filter({ hasText: pattern }).first(),
  );
}

/** The first-run experience: a truthful status bar, the walkthrough, the "Claude" submenu. */
export const checks: UiCheck[] = [
  {
    name: 'onboarding: the status bar and its hover during a wait agree with the banner, and the figure refills while idle',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true, // withChat loads it pointed at the simulator
    async run(context) {
      const { page, extensionId, screenshot, log } = context;
      // 12 requests per minute: an empty bucket refills one request in 5 s (the figure, 1 % every 0.6 s).
      const sim = await startChatSimulator({
        requestsPerMinute: 12,
        tokensPerSecond: 80,
        replyTokens: [40, 80],
        // Its wait-hover screenshot is the README's picture.
        replyStyle: 'shaped',
      });
      const itemId = statusBarItemId(extensionId, STATUS_ITEM);
      await withChat(context, sim, {}, async (chat) => {
        await send(chat, 'What does Claude Pacer do for me?');
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 40_000 });
        // The status bar repaints on the pacer's next snapshot, a moment after the page shows the answer.
        const answered = await waitUntil(() => readStatusBarItem(page, itemId), {
          isDone: (s) => figure(s.text) !== undefined,
          timeoutMs: 10_000,
          intervalMs: 200,
          what: 'a figure in the status bar once the limits are known',
        });
        log(`after the first answer: "${answered.text}"`);

        sim.drainBuckets(CHAT_ORG);
        await send(chat, 'And while the rate limit is tight?');
        await chat.locator('.wait-banner').waitFor({ timeout: 20_000 });
        const waiting = await waitUntil(() => readStatusBarItem(page, itemId), {
          isDone: (s) => /\d:\d\d/.test(s.text) && s.classes.includes('warning-kind'),
          timeoutMs: 10_000,
          intervalMs: 200,
          what: 'a warning countdown in the status bar',
        });
        const hover = await readHover(page, itemId);
        const banner = await countdownSeconds(chat);
        const fromHover = hoverCountdownSeconds(hover);
        // Not at the end: with another window of the lane still open, the windows count follows it.
        const barMatch = /\b(\d+):(\d\d)\b/.exec(waiting.text);
        assert.ok(barMatch, waiting.text);
        log(`during the wait: bar "${waiting.text}", hover ${fromHover}s, banner ${banner}s`);
        // One source: reading them one after another may straddle a second tick, never more.
        assert.ok(Math.abs(fromHover - banner) <= 2, `hover ${fromHover}s vs banner ${banner}s`);
        assert.match(hover, /Next request \(claude-sonnet-4-6\): sonnet-4\.x · organization 7e57c0de/);
        assert.doesNotMatch(hover, /full in/);
        assert.doesNotMatch(hover, /organization not known yet/);
        await screenshot('wait-hover');
        await page.mouse.move(0, 0);

        await chat.locator('article.message.assistant.status-complete').nth(1).waitFor({ timeout: 60_000 });
        const requestsBefore = JSON.stringify(sim.stats().requestsByRoute);
        const first = await waitUntil(() => readStatusBarItem(page, itemId), {
          isDone: (s) => figure(s.text) !== undefined,
          timeoutMs: 10_000,
          intervalMs: 200,
          what: 'a figure in the status bar after the wait',
        });
        const start = figure(first.text);
        assert.ok(start !== undefined && start < 100, `below full after the wait: ${first.text}`);
        const later = await waitUntil(() => readStatusBarItem(page, itemId), {
          isDone: (s) => (figure(s.text) ?? 0) >= start + 5,
          timeoutMs: 20_000,
          intervalMs: 250,
          what: `the figure to rise from ${start}% with no request`,
        });
        assert.equal(
          JSON.stringify(sim.stats().requestsByRoute),
          requestsBefore,
          'no request was sent while the figure rose',
        );
        log(`idle refill: "${first.text}" → "${later.text}" with no request`);
        await screenshot('idle-refill');
      });
    },
  },
  {
    name: "onboarding: the walkthrough opens on its first step, 'Add a key, or use the demo'",
    async run({ page, screenshot, log }) {
      await runCommandLike(page, 'Open Walkthrough', /Open Walkthrough/);
      await page.locator('.quick-input-widget input').fill('Claude Pacer');
      const row = page.locator('.quick-input-list .monaco-list-row', {
        hasText: 'Get started with Claude Pacer',
      });
      await row.first().waitFor({ timeout: 15_000 });
      await chooseRow(page, row.first());
      const step = page.locator('.getting-started-step.expanded');
      await step.waitFor({ timeout: 15_000 });
      const text = await step.innerText();
      assert.match(text, /Add a key, or use the demo/);
      assert.match(text, /Add API Key/);
      const titles = await page.locator('.getting-started-step .step-title').allInnerTexts();
      assert.deepEqual(
        titles.slice(0, 6).map((t) => t.trim()),
        [
          'Add a key, or use the demo',
          'Ask Claude',
          'Watch the quota and a countdown',
          'Pick your limits',
          'Try a command on a selection',
          'Turn on inline completions',
        ],
      );
      log(`steps: ${titles.join(' | ')}`);
      await screenshot('walkthrough');
    },
  },
  {
    name: 'onboarding: the editor context menu holds the Claude commands in one "Claude" submenu',
    async run({ page, screenshot, log }) {
      await runCommand(page, 'File: New Untitled Text File');
      const editor = page.locator('.monaco-editor .view-lines').first();
      await editor.waitFor({ timeout: 15_000 });
      await editor.click();
      await page.keyboard.type('function add(a, b) { return a - b; }');
      await page.keyboard.press('ControlOrMeta+a');
      await closeQuickInput(page);
      await editor.click({ button: 'right' });
      const menu = page.locator('.monaco-menu').first();
      await menu.waitFor({ timeout: 10_000 });
      const top = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      assert.ok(top.includes('Claude'), `a "Claude" entry: ${top.join(' | ')}`);
      for (const ours of ['Explain Selection', 'Fix Selection', 'Refactor Selection…'])
        assert.ok(!top.includes(ours), `"${ours}" is not beside VS Code's own entries: ${top.join(' | ')}`);
      await menu
        .locator('.action-label', { hasText: /^Claude$/ })
        .first()
        .hover();
      const submenu = page.locator('.monaco-menu').filter({ hasText: 'Explain Selection' }).last();
      await submenu.waitFor({ timeout: 10_000 });
      const inside = (await submenu.locator('.action-label').allInnerTexts())
        .map((t) => t.trim())
        .filter(Boolean);
      for (const ours of [
        'Ask…',
        'Explain Selection',
        'Fix Selection',
        'Refactor Selection…',
        'Add Documentation',
        'Write Tests',
      ])
        assert.ok(inside.includes(ours), `"${ours}" in the submenu: ${inside.join(' | ')}`);
      log(`context menu: ${top.join(' | ')}; Claude ▸ ${inside.join(' | ')}`);
      await screenshot('claude-submenu');
      await page.keyboard.press('Escape');
    },
  },
];
