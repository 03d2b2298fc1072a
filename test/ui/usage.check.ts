// The usage dashboard in the real workbench: a chat answer, then Claude: Show Usage draws its charts.
import * as assert from 'node:assert/strict';
import { type FrameLocator, type Page } from 'playwright-core';
import { startChatSimulator } from './chatServers';
import { CHECK_TIMEOUT_MS, lastAnswer, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';
import { runCommand, webviewFrame } from './workbench';
import { waitUntil } from '../support/waitUntil';

/** The dashboard's frame among the open webviews (the chat view is one too). */
async function dashboardFrame(page: Page): Promise<FrameLocator> {
  return waitUntil(
    async () => {
      const count = await page.locator('iframe.webview.ready').count();
      for (let i = 0; i < count; i++) {
        const frame = webviewFrame(page, i);
        if ((await frame.locator('#copy-markdown').count()) > 0) return frame;
      }
      return undefined;
    },
    { what: 'the usage dashboard webview', timeoutMs: 30_000, intervalMs: 250 },
  );
}

export const checks: UiCheck[] = [
  {
    name: 'usage: Show Usage opens the dashboard with charts, their summaries and a priced model',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 0,
        replyTokens: [40, 60],
        inputTokensPerMinute: 20_000,
      });
      await withChat(context, sim, {}, async (chat) => {
        await send(chat, 'Say something short.');
        await lastAnswer(chat).locator('.body').waitFor({ timeout: 30_000 });
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        await runCommand(page, 'Claude: Show Usage');
        const dashboard = await dashboardFrame(page);
        const figure = dashboard.locator('figure.token-chart').first();
        await figure.waitFor({ timeout: 30_000 });
        assert.ok((await dashboard.locator('figure.token-chart canvas').count()) > 0, 'uPlot drew a canvas');
        const summary = await figure.locator('.chart-summary').innerText();
        log(`chart summary: ${summary}`);
        assert.match(summary, /peak [\d,]+ input and [\d,]+ output tokens per minute; limits [\d,]+ input/);
        assert.equal(await figure.locator('.chart').getAttribute('aria-hidden'), 'true');
        const costs = await dashboard.locator('section.panel-section table').last().innerText();
        log(`cost table: ${costs.replace(/\s+/g, ' ')}`);
        assert.match(costs, /\$\d/, 'the model used has a price');
        assert.match(await dashboard.locator('#summary').innerText(), /time at the limit \d+ s/);
        await screenshot('dashboard');
      });
    },
  },
];
