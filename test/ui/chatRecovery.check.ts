// Chat view checks of recovery: a failure mid-stream, Stop and Continue, a window reload while waiting.
import * as assert from 'node:assert/strict';
import { CHAT_ORG, startChatSimulator } from './chatServers';
import { CHECK_TIMEOUT_MS, lastAnswer, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';
import { runCommand, webviewFrame } from './workbench';
import { waitUntil } from '../support/waitUntil';

/**
 * One window (see `withChat`): the three checks without settings (the last drains a budget and
 * reloads the window itself), then the one with an output limit (one reload).
 */
export const sharesWorkbench = true;

export const checks: UiCheck[] = [
  {
    name: 'chat: a mid-stream failure keeps the partial answer, marked interrupted, and Continue finishes it',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 40,
        replyTokens: [60, 80],
      });
      await withChat(context, sim, {}, async (chat) => {
        sim.addFault({ kind: 'stream_error', afterDeltas: 12, errorType: 'overloaded_error', times: 1 });
        await send(chat, 'Tell me about pacing, even if the stream breaks.');
        const answer = lastAnswer(chat);
        await chat.locator('article.message.assistant.status-interrupted').waitFor({ timeout: 30_000 });
        const partial = await answer.locator('.body').innerText();
        assert.ok(partial.length >= 40, `partial text kept (${partial.length} characters)`);
        assert.match(await answer.locator('.status-label').innerText(), /^Interrupted/);
        await screenshot('interrupted');
        await answer.locator('button', { hasText: 'Continue' }).click();
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        const finished = await lastAnswer(chat).locator('.body').innerText();
        assert.ok(
          finished.startsWith(partial.trim().slice(0, 30)),
          'the continuation follows the partial text',
        );
        assert.ok(finished.length > partial.length);
        log(`interrupted after ${partial.length} characters; continued to ${finished.length}`);
        await screenshot('continued');
      });
    },
  },
  {
    name: 'chat: Stop cancels the answer, keeps the partial text and offers Continue',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 8,
        replyTokens: [300, 320],
      });
      await withChat(context, sim, {}, async (chat) => {
        await send(chat, 'Write a long essay about pacing.');
        const answer = lastAnswer(chat);
        await chat.locator('article.message.assistant.status-streaming').waitFor({ timeout: 30_000 });
        await waitUntil(() => answer.locator('.body').innerText(), {
          isDone: (t) => t.length > 20,
          timeoutMs: 10_000,
          intervalMs: 100,
          what: 'some text',
        });
        await chat.locator('#stop').click();
        await chat.locator('article.message.assistant.status-stopped').waitFor({ timeout: 10_000 });
        const stoppedText = await answer.locator('.body').innerText();
        await page.waitForTimeout(1_500);
        assert.equal(await answer.locator('.body').innerText(), stoppedText, 'no more text after Stop');
        assert.ok(stoppedText.length > 20);
        assert.equal(await answer.locator('.status-label').innerText(), 'Stopped.');
        await answer.locator('button', { hasText: 'Continue' }).waitFor();
        assert.equal(await chat.locator('#send').isVisible(), true);
        await screenshot('stopped');
        const requests = sim.stats().requestsByRoute['/v1/messages'] ?? 0;
        await answer.locator('button', { hasText: 'Continue' }).click();
        await waitUntil(() => answer.locator('.body').innerText(), {
          isDone: (t) => t.length > stoppedText.length,
          timeoutMs: 20_000,
          intervalMs: 100,
          what: 'the continuation to stream',
        });
        assert.equal(sim.stats().requestsByRoute['/v1/messages'], requests + 1, 'Continue sent one request');
        await chat.locator('#stop').click();
        await chat.locator('article.message.assistant.status-stopped').waitFor({ timeout: 10_000 });
        log(`stopped at ${stoppedText.length} characters; Continue appended to the same answer`);
      });
    },
  },
  {
    name: 'chat: a message waiting at a window reload is restored with Resume, which answers it',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      // 6 requests per minute: an empty bucket refills one request in 10 s.
      const sim = await startChatSimulator({
        requestsPerMinute: 6,
        tokensPerSecond: 60,
        replyTokens: [30, 60],
      });
      await withChat(context, sim, {}, async (chat) => {
        sim.drainBuckets(CHAT_ORG);
        await send(chat, 'Survive a reload, please.');
        await chat.locator('.wait-banner').waitFor({ timeout: 20_000 });
        // The web workbench writes workspace state to the browser's storage shortly after the change;
        // a reload within the same second can beat that write (seen once in ~0.6 s).
        await page.waitForTimeout(2_000);
        await page.reload();
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await runCommand(page, 'Claude: Focus Chat');
        const restored = webviewFrame(page);
        const answer = restored.locator('article.message.assistant.status-interrupted').last();
        await answer.waitFor({ timeout: 30_000 });
        assert.match(await answer.locator('.status-label').innerText(), /window reloaded/);
        assert.equal(
          await restored
            .locator('article.message.user .body', { hasText: 'Survive a reload, please.' })
            .count(),
          1,
        );
        await screenshot('restored');
        await answer.locator('button', { hasText: 'Resume' }).click();
        await restored
          .locator('article.message.assistant.status-complete')
          .last()
          .waitFor({ timeout: 45_000 });
        log('restored as interrupted with Resume; Resume answered it');
        await screenshot('resumed');
      });
    },
  },
  {
    name: 'chat: an answer cut off at the output limit says so, and Continue carries it on',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 200,
        replyTokens: [200, 240],
      });
      await withChat(context, sim, { 'claudePacer.maxOutputTokens': 40 }, async (chat) => {
        await send(chat, 'Explain request pacing at length.');
        const answer = lastAnswer(chat);
        await chat.locator('article.message.assistant.status-interrupted').waitFor({ timeout: 30_000 });
        const note = await answer.locator('.status-label').innerText();
        assert.match(note, /^Cut off at the output limit/);
        const partial = await answer.locator('.body').innerText();
        await screenshot('cut-off');
        await answer.locator('button', { hasText: 'Continue' }).click();
        const continued = await waitUntil(() => lastAnswer(chat).locator('.body').innerText(), {
          isDone: (text) => text.length > partial.length,
          timeoutMs: 30_000,
          what: 'Continue to add to the cut-off answer',
        });
        assert.ok(
          continued.startsWith(partial.trim().slice(0, 30)),
          'the continuation follows the cut-off text',
        );
        log(
          `cut off at ${partial.length} characters ("${note}"); Continue carried it to ${continued.length}`,
        );
        await screenshot('continued');
      });
    },
  },
];
