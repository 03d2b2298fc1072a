// Chat view checks: copy, regenerate and edit-and-resend on answers; a highlighted block; one announcement per answer.
import * as assert from 'node:assert/strict';
import { startScriptedReplyServer } from './chatServers';
import { approveEndpointIfAsked, CHECK_TIMEOUT_MS, lastAnswer, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';
import { waitUntil } from '../support/waitUntil';

const FIRST = [
  'Here is a **token bucket** in TypeScript.',
  '',
  '```ts',
  'class TokenBucket {',
  "  readonly name = 'bucket';",
  '  constructor(private tokens: number, readonly perSecond: number) {}',
  '  take(): boolean {',
  '    return this.tokens-- > 0; // one token',
  '  }',
  '}',
  '```',
  '',
  'It refills at a steady rate.',
].join('\n');
const REGENERATED = 'Regenerated: a bucket that refills one token at a time.';
const EDITED = 'Edited: a leaky bucket drains at a steady rate.';

export const checks: UiCheck[] = [
  {
    name: 'chat answers: a highlighted block, Copy, Regenerate and Edit-and-resend, one announcement per answer',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      const server = await startScriptedReplyServer([
        { text: FIRST, stopReason: 'end_turn' },
        { text: REGENERATED, stopReason: 'end_turn' },
        { text: EDITED, stopReason: 'end_turn' },
      ]);
      const messagesSent = (): number =>
        server.requests.filter((r) => r.path.startsWith('/v1/messages')).length;
      await withChat(context, server, {}, async (chat) => {
        // The page's accessibility shape: the conversation is no live region, New chat is an icon button.
        const conversation = chat.locator('#conversation');
        assert.equal(await conversation.getAttribute('aria-live'), null);
        assert.equal(await conversation.getAttribute('role'), null);
        const newChat = chat.locator('#new-chat');
        assert.equal(await newChat.getAttribute('aria-label'), 'Start a new chat');
        assert.equal(await newChat.getAttribute('title'), 'New chat');
        const heights = await chat
          .locator('.composer-buttons button:visible')
          .evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().height)));
        assert.ok(
          Math.max(...heights) - Math.min(...heights) <= 2,
          `one line of buttons: ${heights.join(', ')}`,
        );

        await send(chat, 'Show me a token bucket.');
        if (await approveEndpointIfAsked(page)) log('the endpoint confirmation was asked and answered');
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        const answer = lastAnswer(chat);
        const keywords = await answer.locator('.code-block .hljs-keyword').allInnerTexts();
        assert.ok(
          keywords.includes('class') && keywords.includes('return'),
          `highlighted: ${keywords.join(' ')}`,
        );
        assert.ok(
          (await answer.locator('.code-block .hljs-string').count()) > 0,
          'the string is highlighted',
        );
        const announced = await waitUntil(() => chat.locator('#announcer').innerText(), {
          isDone: (text) => text !== '',
          timeoutMs: 5_000,
          intervalMs: 100,
          what: 'the announcement',
        });
        assert.equal(announced, 'Claude answered: Here is a token bucket in TypeScript.');
        assert.deepEqual(await answer.locator('.message-actions button').allInnerTexts(), [
          'Copy',
          'Regenerate',
        ]);
        await screenshot('highlighted');

        await answer.locator('.message-actions button.copy').click();
        await waitUntil(() => chat.locator('#notice').innerText(), {
          isDone: (text) => /Copied to the clipboard/.test(text),
          timeoutMs: 10_000,
          intervalMs: 100,
          what: 'the copy notice',
        });

        await answer.locator('.message-actions button.regenerate').click();
        await lastAnswer(chat).locator('.body', { hasText: 'Regenerated' }).waitFor({ timeout: 30_000 });
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        assert.equal(await chat.locator('article.message').count(), 2, 'the answer was replaced, not added');
        assert.equal(messagesSent(), 2, 'regenerate sent one request');
        await screenshot('regenerated');

        await chat.locator('article.message.user .message-actions button.edit').click();
        const prompt = chat.locator('#prompt');
        assert.equal(await prompt.inputValue(), 'Show me a token bucket.');
        assert.equal(await chat.locator('.edit-bar').isVisible(), true);
        await prompt.fill('And a leaky bucket?');
        await screenshot('editing');
        await prompt.press('Enter');
        await chat
          .locator('article.message.user .body', { hasText: 'And a leaky bucket?' })
          .waitFor({ timeout: 10_000 });
        await lastAnswer(chat).locator('.body', { hasText: 'Edited' }).waitFor({ timeout: 30_000 });
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        const users = await chat.locator('article.message.user .body').allInnerTexts();
        assert.deepEqual(
          users,
          ['And a leaky bucket?'],
          'the edited message replaced the original and what followed',
        );
        assert.equal(await chat.locator('article.message').count(), 2);
        assert.equal(messagesSent(), 3, 'the resend sent one request');
        assert.equal(await chat.locator('.edit-bar').isVisible(), false);
        const last = await waitUntil(() => chat.locator('#announcer').innerText(), {
          isDone: (text) => text.startsWith('Claude answered: Edited'),
          timeoutMs: 5_000,
          intervalMs: 100,
          what: 'the announcement of the edited answer',
        });
        log(
          `keywords ${keywords.join(' ')}; announced "${announced}", then "${last}"; ${messagesSent()} requests`,
        );
        await screenshot('resent');
      });
    },
  },
];
