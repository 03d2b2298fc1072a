// Chat view check: a message typed while an answer streams is queued, shown, cancellable, and sent after it.
import * as assert from 'node:assert/strict';
import { startChatSimulator } from './chatServers';
import { CHECK_TIMEOUT_MS, lastAnswer, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';

export const checks: UiCheck[] = [
  {
    name: 'chat: a follow-up typed while the answer streams is queued, cancellable, and sent after it',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 30,
        replyTokens: [120, 160],
        inputTokensPerMinute: 200_000,
      });
      await withChat(context, sim, {}, async (chat) => {
        await send(chat, 'Explain token buckets in one paragraph.');
        await chat.locator('article.message.assistant.status-streaming').waitFor({ timeout: 30_000 });
        const prompt = chat.locator('#prompt');
        for (const text of ['And leaky buckets?', 'And sliding windows?']) {
          await prompt.fill(text);
          await prompt.press('Enter');
          await chat.locator('.queued .queued-message', { hasText: text }).waitFor({ timeout: 10_000 });
        }
        assert.equal(await chat.locator('#send').innerText(), 'Queue', 'Send queues while an answer streams');
        assert.equal(await prompt.inputValue(), '', 'the queued text left the box');
        await screenshot('queued');
        await chat
          .locator('.queued .queued-message', { hasText: 'And sliding windows?' })
          .locator('button.cancel-queued')
          .click();
        await chat
          .locator('.queued .queued-message', { hasText: 'And sliding windows?' })
          .waitFor({ state: 'detached', timeout: 10_000 });
        const title = await chat.locator('.queued .queued-title').innerText();
        await chat
          .locator('article.message.user .body', { hasText: 'And leaky buckets?' })
          .waitFor({ timeout: 60_000 });
        assert.equal(await chat.locator('.queued').isHidden(), true, 'nothing waits any more');
        await chat.locator('article.message.assistant.status-complete').nth(1).waitFor({ timeout: 60_000 });
        const asked = await chat.locator('article.message.user .body').allInnerTexts();
        assert.deepEqual(asked, ['Explain token buckets in one paragraph.', 'And leaky buckets?']);
        assert.ok((await lastAnswer(chat).locator('.body').innerText()).length > 0);
        log(`queue title "${title}"; sent: ${asked.join(' | ')}`);
        await screenshot('sent-after');
      });
    },
  },
];
