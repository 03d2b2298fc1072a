// Chat view checks: the wait banner pinned above the composer, its buttons honest.
import * as assert from 'node:assert/strict';
import { type FrameLocator } from 'playwright-core';
import { startChatSimulator } from './chatServers';
import { CHECK_TIMEOUT_MS, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';
import { waitUntil } from '../support/waitUntil';

/** Where the banner is in the chat frame's viewport, and whether it lies above the composer. */
async function bannerPlace(
  chat: FrameLocator,
): Promise<{ top: number; bottom: number; viewport: number; isAboveComposer: boolean }> {
  return chat.locator('.wait-banner').evaluate((banner) => {
    const box = banner.getBoundingClientRect();
    const composer = document.querySelector('.composer')?.getBoundingClientRect();
    return {
      top: Math.round(box.top),
      bottom: Math.round(box.bottom),
      viewport: window.innerHeight,
      isAboveComposer: composer !== undefined && box.bottom <= composer.top + 1,
    };
  });
}

export const checks: UiCheck[] = [
  {
    name: 'chat banner: a pacing wait is pinned above the composer, Retry now disabled with the reason, no switch without a model',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { screenshot, log } = context;
      // 2 requests per minute: two answers use the burst, the third waits about 30 s for the bucket.
      const sim = await startChatSimulator({
        requestsPerMinute: 2,
        tokensPerSecond: 200,
        replyTokens: [120, 160],
      });
      await withChat(context, sim, {}, async (chat) => {
        for (const [index, question] of ['First question?', 'Second question?'].entries()) {
          await send(chat, question);
          await chat
            .locator('article.message.assistant.status-complete')
            .nth(index)
            .waitFor({ timeout: 30_000 });
        }
        await send(chat, 'Third question, which has to wait?');
        const banner = chat.locator('#wait-slot .wait-banner');
        await banner.locator('.retry-now.retry-disabled').waitFor({ timeout: 30_000 });
        const place = await bannerPlace(chat);
        assert.ok(place.top >= 0 && place.bottom <= place.viewport, `in view: ${JSON.stringify(place)}`);
        assert.ok(place.isAboveComposer, 'right above the composer');
        assert.equal(await chat.locator('#conversation .wait-banner').count(), 0);
        const retry = banner.locator('.retry-now');
        assert.equal(await retry.getAttribute('aria-disabled'), 'true');
        const reason = await banner.locator('.wait-retry-reason').innerText();
        assert.match(reason, /^Pacing: the server would refuse it until \d:\d\d$/);
        assert.match((await retry.getAttribute('aria-label')) ?? '', /^Retry now is not available\. Pacing/);
        const buttons = await banner.locator('button').allInnerTexts();
        assert.deepEqual(
          buttons,
          ['Retry now', 'Cancel'],
          'no switch-model button without a model to switch to',
        );
        // Pressing the disabled button sends nothing.
        const before = sim.stats().requestsByRoute['/v1/messages'] ?? 0;
        await retry.click({ force: true });
        assert.equal(await banner.locator('.retry-now.retry-disabled').count(), 1);
        await screenshot('pacing-banner');
        await banner.locator('button', { hasText: 'Cancel' }).click();
        await banner.waitFor({ state: 'detached', timeout: 10_000 });
        assert.equal(sim.stats().requestsByRoute['/v1/messages'] ?? 0, before, 'nothing was sent');
        log(
          `banner at ${place.top}-${place.bottom} of ${place.viewport} px; reason "${reason}"; buttons ${buttons.join(' / ')}`,
        );
      });
    },
  },
  {
    name: 'chat banner: Retry now during a retry wait re-attempts at once and shows "Retrying…"',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 60,
        replyTokens: [40, 60],
        overloadedRetryAfterSec: 90,
      });
      // The first attempt is refused (529, retry-after 90 s); the retry's headers come 3 s late, so "Retrying…" shows.
      sim.setFaults([
        { kind: 'overloaded', onRequest: [1], times: 1 },
        { kind: 'delay_headers', delayMs: 3_000, onRequest: [2], times: 1 },
      ]);
      await withChat(context, sim, {}, async (chat) => {
        await send(chat, 'Is the server overloaded?');
        const banner = chat.locator('#wait-slot .wait-banner');
        const retry = banner.locator('.retry-now.retry-enabled');
        await retry.waitFor({ timeout: 30_000 });
        const title = await banner.locator('.wait-title').innerText();
        const countdown = await banner.locator('.wait-countdown').innerText();
        await screenshot('retry-wait');
        const clickedAt = Date.now();
        await retry.click();
        // The re-attempt is in flight (its headers come 3 s late): the banner says so until the answer streams.
        const retrying = await banner.locator('.retry-now').innerText();
        assert.equal(retrying, 'Retrying…');
        assert.equal(await banner.locator('.wait-countdown').innerText(), 'Resuming…');
        assert.equal(await banner.locator('.retry-now').getAttribute('aria-disabled'), 'true');
        await screenshot('retrying');
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        const tookMs = Date.now() - clickedAt;
        assert.ok(tookMs < 30_000, `answered ${tookMs} ms after Retry now, not after the 90 s wait`);
        const attempts = await waitUntil(() => sim.stats().requestsByRoute['/v1/messages'] ?? 0, {
          isDone: (n) => n >= 2,
          timeoutMs: 5_000,
          intervalMs: 100,
          what: 'the second attempt',
        });
        assert.equal(attempts, 2, 'one refused attempt, one retry: sent once more, not twice');
        assert.equal(await banner.count(), 0, 'the banner is gone');
        log(
          `banner "${title}" ${countdown}; after Retry now "${retrying}", answered in ${tookMs} ms; ${attempts} attempts`,
        );
      });
    },
  },
];
