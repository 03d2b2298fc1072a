// Chat view checks: streaming, the rate-limit banner and its fallback, hostile Markdown.
import * as assert from 'node:assert/strict';
import { CHAT_ORG, startChatSimulator, startScriptedReplyServer } from './chatServers';
import {
  approveEndpointIfAsked,
  CHECK_TIMEOUT_MS,
  countdownSeconds,
  lastAnswer,
  send,
  withChat,
} from './chatPage';
import { type UiCheck } from './uiCheck';
import { runCommand } from './workbench';
import { waitUntil } from '../support/waitUntil';

const HOSTILE_REPLY = [
  'Here is what you asked for.',
  '',
  '<script>document.body.dataset.pwned = "script"</script>',
  '',
  '<img src="x" onerror="document.body.dataset.pwned = \'img\'">',
  '',
  '[click me](javascript:document.body.dataset.pwned=1) and [run a command](command:workbench.action.terminal.new)',
  '',
  'Plain javascript:alert(1) and command:workbench.action.quit text, and ![tracker](https://example.com/t.png).',
  '',
  'Docs: [rate limits](https://docs.claude.com/en/api/rate-limits)',
  '',
  '```js',
  'console.log("<b>not bold</b>");',
  '```',
].join('\n');

/**
 * One window (see `withChat`): the two checks without settings, then the two with a fallback model
 * (one reload); those drain a budget, so they run last.
 */
export const sharesWorkbench = true;

export const checks: UiCheck[] = [
  {
    name: 'chat: a typed prompt streams its answer into the view',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 30,
        replyTokens: [120, 160],
        inputTokensPerMinute: 20_000,
      });
      await withChat(context, sim, {}, async (chat) => {
        const estimate = await chat.locator('#estimate').innerText();
        assert.match(estimate, /≈ [\d,]+ input tokens/);
        await send(chat, 'Explain token buckets in one paragraph.');
        const answer = lastAnswer(chat);
        await chat.locator('article.message.assistant.status-streaming').waitFor({ timeout: 30_000 });
        const early = (await answer.locator('.body').innerText()).length;
        await page.waitForTimeout(800);
        const later = (await answer.locator('.body').innerText()).length;
        assert.ok(later > early, `the answer grows while streaming (${early} → ${later} characters)`);
        assert.equal(await chat.locator('#stop').isVisible(), true, 'Stop shows while answering');
        await screenshot('streaming');
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        assert.equal(await chat.locator('#send').isVisible(), true);
        log(`estimate "${estimate}"; streamed ${early} → ${later} characters, then complete`);
        await screenshot('answered');
        // The limit is known now (learned from the headers): a draft that can never fit is refused before sending.
        await chat.locator('#prompt').fill('x'.repeat(100_000));
        await chat.locator('#warning').waitFor({ timeout: 10_000 });
        const warning = await chat.locator('#warning').innerText();
        assert.match(warning, /more than your limit of 20,000 per minute, so it can never be sent/);
        assert.equal(await chat.locator('#send').isDisabled(), true);
        log(`warning "${warning}"`);
        await screenshot('never-fits');
        await chat.locator('#prompt').fill('');
      });
    },
  },
  {
    name: 'chat: a reply with <script>, <img onerror>, javascript: and command: links renders inert; Apply as diff opens the diff',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      const server = await startScriptedReplyServer(HOSTILE_REPLY);
      await withChat(context, server, {}, async (chat) => {
        await runCommand(page, 'File: New Untitled Text File');
        await send(chat, 'Show me something nasty.');
        if (await approveEndpointIfAsked(page)) log('the endpoint confirmation was asked and answered');
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 30_000 });
        const body = lastAnswer(chat).locator('.body');
        assert.equal(await body.locator('script, img, iframe, object, embed, style, svg, form').count(), 0);
        assert.equal(await body.locator('[onerror], [onclick], [onload]').count(), 0);
        const hrefs = await body
          .locator('a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
        // An image stays a plain https link (nothing is loaded); only http(s) links survive.
        assert.deepEqual(hrefs, ['https://example.com/t.png', 'https://docs.claude.com/en/api/rate-limits']);
        const text = await body.innerText();
        assert.ok(text.includes('<script>document.body.dataset.pwned'), 'raw HTML shows as text');
        assert.ok(
          text.includes('[run a command](command:workbench.action.terminal.new)'),
          'a command: link stays text',
        );
        assert.ok(text.includes('console.log("<b>not bold</b>");'), 'code shows literally');
        // Clicking what would have been the dangerous links does nothing.
        await body.getByText('click me', { exact: false }).first().click();
        await body.getByText('run a command', { exact: false }).first().click();
        const pwned = await body.evaluate(() => document.body.dataset['pwned'] ?? null);
        assert.equal(pwned, null, 'no script ran in the page');
        await screenshot('hostile-reply');
        await lastAnswer(chat).locator('button', { hasText: 'Apply as diff' }).click();
        await page.locator('.editor-instance .monaco-diff-editor').first().waitFor({ timeout: 20_000 });
        // The page's notice arrives by message after the host opened the diff: wait for it.
        const notice = await waitUntil(() => chat.locator('#notice').innerText(), {
          isDone: (text) => /Review the diff/.test(text),
          timeoutMs: 10_000,
          intervalMs: 100,
          what: 'the "Review the diff" notice',
        });
        log(`links kept: ${JSON.stringify(hrefs)}; notice "${notice}"`);
        await screenshot('apply-as-diff');
      });
    },
  },
  {
    name: 'chat: while rate-limited, the banner counts down above the composer and then the answer arrives',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, screenshot, log } = context;
      // 6 requests per minute: an empty bucket refills one request in 10 s. (At 12, 5 s, a loaded
      // machine once took longer from the drain to the request, which then found a request's room.)
      const sim = await startChatSimulator({
        requestsPerMinute: 6,
        tokensPerSecond: 60,
        replyTokens: [40, 80],
      });
      await withChat(context, sim, { 'claudePacer.fallbackModel': 'claude-haiku-4-5' }, async (chat) => {
        sim.drainBuckets(CHAT_ORG);
        await send(chat, 'Are we being rate limited?');
        const banner = chat.locator('.wait-banner');
        await banner.waitFor({ timeout: 20_000 });
        const title = await banner.locator('.wait-title').innerText();
        assert.match(title, /^Waiting for .*requests per minute/);
        const first = await countdownSeconds(chat);
        await page.waitForTimeout(1_500);
        const second = await waitUntil(() => countdownSeconds(chat).catch(() => -1), {
          isDone: (s) => s !== first,
          timeoutMs: 3_000,
          intervalMs: 100,
          what: 'the countdown to tick',
        });
        assert.ok(second >= 0 && second < first, `the countdown runs down (${first} → ${second})`);
        const buttons = await banner.locator('button').allInnerTexts();
        assert.deepEqual(buttons, ['Retry now', 'Use claude-haiku-4-5', 'Cancel']);
        // The banner is pinned above the composer, outside the scrolling conversation.
        assert.equal(await chat.locator('#wait-slot .wait-banner').count(), 1);
        assert.equal(await chat.locator('#conversation .wait-banner').count(), 0, 'not in the conversation');
        await screenshot('banner');
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 40_000 });
        assert.equal(await banner.count(), 0, 'the banner is gone once the answer streams');
        log(`banner "${title}", countdown ${first}s → ${second}s, buttons ${buttons.join(' / ')}`);
        await screenshot('answered-after-wait');
      });
    },
  },
  {
    name: 'chat: "Use fallback" in the banner answers with the fallback model',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { log } = context;
      const sim = await startChatSimulator({
        requestsPerMinute: 2,
        tokensPerSecond: 60,
        replyTokens: [30, 60],
      });
      await withChat(context, sim, { 'claudePacer.fallbackModel': 'claude-haiku-4-5' }, async (chat) => {
        sim.drainBuckets(CHAT_ORG, 'sonnet-4');
        await send(chat, 'Answer with whichever model has room.');
        await chat.locator('.wait-banner').waitFor({ timeout: 20_000 });
        await chat.locator('.wait-banner button', { hasText: 'Use claude-haiku-4-5' }).click();
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 20_000 });
        const model = await lastAnswer(chat).locator('.model').innerText();
        assert.equal(model, 'claude-haiku-4-5');
        log(`answered by ${model} (sonnet bucket drained, 2 requests per minute)`);
      });
    },
  },
];
