// Chat checks of what commands bring into the chat: Explain answering there, the history list, the model and attach pickers.
import * as assert from 'node:assert/strict';
import { type FrameLocator, type Page } from 'playwright-core';
import { CHAT_ORG, startChatSimulator } from './chatServers';
import { CHECK_TIMEOUT_MS, lastAnswer, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';
import { chooseRow, runCommand, UI_TIMEOUT_MS } from './workbench';
import { waitUntil } from '../support/waitUntil';

function simulator(): ReturnType<typeof startChatSimulator> {
  return startChatSimulator({ requestsPerMinute: 1000, tokensPerSecond: 200, replyTokens: [30, 50] });
}

/** Waits until the newest answer is complete. */
async function answered(chat: FrameLocator, count: number): Promise<void> {
  await waitUntil(() => chat.locator('article.message.assistant.status-complete').count(), {
    isDone: (n) => n >= count,
    timeoutMs: 30_000,
    intervalMs: 200,
    what: `${count} complete answer(s)`,
  });
}

/** The open quick input's rows, as their aria-labels. */
async function quickRows(page: Page, isDone: (rows: string[]) => boolean, what: string): Promise<string[]> {
  const rows = page.locator('.quick-input-list .monaco-list-row');
  return waitUntil(
    () => rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? '')),
    { isDone, timeoutMs: UI_TIMEOUT_MS, intervalMs: 200, what },
  );
}

/** Clicks the quick input row whose aria-label contains `text`. */
async function chooseQuickRow(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first();
  await chooseRow(page, row);
}

/**
 * Chooses `model` in the open model picker once it shows the API's list. The picker shows the
 * built-in models first and replaces them when the API's list arrives; a click landing as the rows
 * change picks whatever moved under it (seen: claude-sonnet-5 for claude-haiku-4-5). Only the
 * simulator lists claude-sonnet-5.
 */
async function chooseModel(page: Page, model: string): Promise<void> {
  await quickRows(page, (r) => r.some((x) => x.includes('claude-sonnet-5')), "the API's models");
  await chooseQuickRow(page, model);
}

/** How many untitled editors have tabs. */
function untitledTabCount(page: Page): Promise<number> {
  return page
    .locator('.tabs-container .tab')
    .filter({ hasText: /^Untitled-\d+/ })
    .count();
}

/** One window for all four (see `withChat`); the check that drains a budget runs last. */
export const sharesWorkbench = true;

export const checks: UiCheck[] = [
  {
    name: 'chat: Explain Selection answers in the chat with the selection as a chip, in no new tab',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      await withChat(context, await simulator(), {}, async (chat) => {
        await runCommand(page, 'File: New Untitled Text File');
        await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
        await page.keyboard.type('const a = 1;\nconst b = a + 1;\nconsole.log(b);');
        await page.keyboard.press('Control+A');
        const tabsBefore = await untitledTabCount(page);
        await runCommand(page, 'Claude: Explain Selection');
        const question = chat.locator('article.message.user').last();
        await question
          .locator('.body', { hasText: 'Explain what this code does' })
          .waitFor({ timeout: 20_000 });
        const chip = await question.locator('.context-label').innerText();
        assert.match(chip, /^Selection Untitled-\d+:1-3 · ~\d+ tokens$/);
        await answered(chat, 1);
        assert.ok((await lastAnswer(chat).locator('.body').innerText()).length > 0);
        assert.equal(await untitledTabCount(page), tabsBefore, 'no new untitled tab');
        log(`question chip "${chip}"; answered in the chat; untitled tabs ${tabsBefore}`);
        await screenshot('explained-in-chat');
      });
    },
  },
  {
    name: 'chat: the history lists conversations by their first question and switches between them',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      await withChat(context, await simulator(), {}, async (chat) => {
        await send(chat, 'First conversation: what is a token bucket?');
        await answered(chat, 1);
        await runCommand(page, 'Claude: New Chat');
        await chat.locator('article.message').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        await send(chat, 'Second conversation: and a leaky bucket?');
        await answered(chat, 1);
        await chat.locator('#history').click();
        const listed = await quickRows(
          page,
          (r) => r.filter((x) => x.includes('question(s)')).length >= 2,
          'two conversations listed',
        );
        // Only the history's rows: the palette that ran History may still be closing.
        const rows = listed.filter((x) => x.includes('question(s)'));
        const firstIndex = rows.findIndex((r) => r.includes('First conversation'));
        const secondIndex = rows.findIndex((r) => r.includes('Second conversation'));
        assert.deepEqual([secondIndex, firstIndex], [0, 1], `newest first: ${JSON.stringify(rows)}`);
        assert.match(rows[0] ?? '', /shown now/);
        await screenshot('history-list');
        await chooseQuickRow(page, 'First conversation');
        await chat
          .locator('article.message.user .body', { hasText: 'First conversation' })
          .waitFor({ timeout: UI_TIMEOUT_MS });
        assert.equal(
          await chat.locator('article.message.user .body', { hasText: 'Second conversation' }).count(),
          0,
          'only the chosen conversation is shown',
        );
        assert.equal(await chat.locator('article.message.assistant.status-complete').count(), 1);
        log(`listed ${JSON.stringify(rows)}; switched back to the first conversation`);
        await screenshot('history-switched');
      });
    },
  },
  {
    name: 'chat: the model picker shows each model’s headroom; the chosen model answers the next message; Attach adds a chip',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      await withChat(context, await simulator(), {}, async (chat) => {
        await send(chat, 'Warm up the default model.');
        await answered(chat, 1);
        const modelButton = chat.locator('#pick-model');
        assert.match(await modelButton.innerText(), /^Model: claude-/);
        await modelButton.click();
        const rows = await quickRows(
          page,
          (r) =>
            r.some((x) => /% of its budget left now/.test(x)) &&
            r.some((x) => x.includes('claude-haiku-4-5')),
          'models with their headroom',
        );
        await screenshot('model-picker');
        await chooseModel(page, 'claude-haiku-4-5');
        await waitUntil(() => modelButton.innerText(), {
          isDone: (t) => t === 'Model: claude-haiku-4-5',
          timeoutMs: UI_TIMEOUT_MS,
          intervalMs: 100,
          what: 'the model button to show the choice',
        });
        await send(chat, 'Now answer with the chosen model.');
        await answered(chat, 2);
        assert.equal(await lastAnswer(chat).locator('.model').innerText(), 'claude-haiku-4-5');
        log(`picker rows: ${JSON.stringify(rows.slice(0, 4))}`);

        await chat.locator('#attach').click();
        await quickRows(
          page,
          (r) => r.some((x) => x.includes('README.md')),
          'README.md in the attach picker',
        );
        await screenshot('attach-picker');
        const readme = page
          .locator('.quick-input-list .monaco-list-row')
          .filter({ hasText: 'README.md' })
          .first();
        await readme
          .locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox')
          .first()
          .click();
        await page
          .locator(
            '.quick-input-widget .quick-input-action .monaco-button, .quick-input-widget .monaco-button',
            { hasText: 'OK' },
          )
          .first()
          .click();
        const chip = chat.locator('.chip.attached', { hasText: 'README.md' });
        await chip.waitFor({ timeout: UI_TIMEOUT_MS });
        log(`attached chip "${await chip.innerText()}"`);
        await screenshot('attached-chip');
      });
    },
  },
  {
    name: 'chat: a model picked while an answer waits is offered by the wait banner and answers it',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 2,
        tokensPerSecond: 60,
        replyTokens: [30, 60],
      });
      await withChat(context, sim, {}, async (chat) => {
        sim.drainBuckets(CHAT_ORG, 'sonnet-4');
        await send(chat, 'Answer with whichever model has room.');
        const banner = chat.locator('.wait-banner');
        await banner.waitFor({ timeout: 20_000 });
        assert.equal(
          await banner.locator('button', { hasText: /^Use / }).count(),
          0,
          'no fallback, no choice yet',
        );
        await chat.locator('#pick-model').click();
        await quickRows(page, (r) => r.some((x) => x.includes('claude-haiku-4-5')), 'the models');
        await chooseModel(page, 'claude-haiku-4-5');
        const use = banner.locator('button', { hasText: 'Use claude-haiku-4-5' });
        await use.waitFor({ timeout: UI_TIMEOUT_MS });
        await screenshot('banner-offers-choice');
        await use.click();
        await answered(chat, 1);
        assert.equal(await lastAnswer(chat).locator('.model').innerText(), 'claude-haiku-4-5');
        log('the banner offered the picked model and it answered');
      });
    },
  },
];
