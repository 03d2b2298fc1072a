import * as assert from 'node:assert/strict';
import { type FrameLocator, type Page } from 'playwright-core';
import {
  CHAT_ORG,
  serverEnvironment,
  startChatSimulator,
  startScriptedReplyServer,
  useWorkspaceSettings,
  withExtensionEnvironment,
} from './chatServers';
import { type UiCheck } from './uiCheck';
import { openWorkbench, runCommand, webviewFrame } from './workbench';
import { waitUntil } from '../support/waitUntil';

const CHECK_TIMEOUT_MS = 150_000;

/** Loads the workbench pointed at `baseUrl`, starts a new chat and returns the chat page's frame. */
async function openChat(page: Page, workbenchUrl: string, baseUrl: string): Promise<FrameLocator> {
  await openWorkbench(page, withExtensionEnvironment(workbenchUrl, serverEnvironment(baseUrl)));
  await runCommand(page, 'Claude: New Chat');
  const chat = webviewFrame(page);
  await chat.locator('#prompt').waitFor({ timeout: 30_000 });
  return chat;
}

async function send(chat: FrameLocator, text: string): Promise<void> {
  const prompt = chat.locator('#prompt');
  await prompt.click();
  await prompt.fill(text);
  await prompt.press('Enter');
  await chat.locator('article.message.user .body', { hasText: text }).last().waitFor();
}

function lastAnswer(chat: FrameLocator): ReturnType<FrameLocator['locator']> {
  return chat.locator('article.message.assistant').last();
}

/** Seconds left in the banner's "Resumes in m:ss". */
async function countdownSeconds(chat: FrameLocator): Promise<number> {
  const text = await chat.locator('.wait-banner .wait-countdown').innerText();
  const match = /Resumes in (\d+):(\d\d)/.exec(text);
  assert.ok(match, `countdown text: ${text}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

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

export const checks: UiCheck[] = [
  {
    name: 'chat: a typed prompt streams its answer into the view',
    timeoutMs: CHECK_TIMEOUT_MS,
    async run({ page, workbenchUrl, screenshot, log }) {
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 30,
        replyTokens: [120, 160],
        inputTokensPerMinute: 20_000,
      });
      try {
        const chat = await openChat(page, workbenchUrl, sim.url);
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
      } finally {
        await sim.close();
      }
    },
  },
  {
    name: 'chat: while rate-limited, the banner counts down in the conversation and then the answer arrives',
    timeoutMs: CHECK_TIMEOUT_MS,
    async run({ page, workbenchUrl, screenshot, log }) {
      // 12 requests per minute: an empty bucket refills one request in 5 s.
      const sim = await startChatSimulator({
        requestsPerMinute: 12,
        tokensPerSecond: 60,
        replyTokens: [40, 80],
      });
      const restoreSettings = useWorkspaceSettings(workbenchUrl, {
        'claudePacer.fallbackModel': 'claude-haiku-4-5',
      });
      try {
        const chat = await openChat(page, workbenchUrl, sim.url);
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
        // The banner sits in the conversation, right after the waiting answer.
        assert.equal(
          await chat.locator('article.message.assistant.status-pending + .wait-banner').count(),
          1,
          'banner follows the pending answer',
        );
        await screenshot('banner');
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 40_000 });
        assert.equal(await banner.count(), 0, 'the banner is gone once the answer streams');
        log(`banner "${title}", countdown ${first}s → ${second}s, buttons ${buttons.join(' / ')}`);
        await screenshot('answered-after-wait');
      } finally {
        restoreSettings();
        await sim.close();
      }
    },
  },
  {
    name: 'chat: "Use fallback" in the banner answers with the fallback model',
    timeoutMs: CHECK_TIMEOUT_MS,
    async run({ page, workbenchUrl, log }) {
      const sim = await startChatSimulator({
        requestsPerMinute: 2,
        tokensPerSecond: 60,
        replyTokens: [30, 60],
      });
      const restoreSettings = useWorkspaceSettings(workbenchUrl, {
        'claudePacer.fallbackModel': 'claude-haiku-4-5',
      });
      try {
        const chat = await openChat(page, workbenchUrl, sim.url);
        sim.drainBuckets(CHAT_ORG, 'sonnet-4');
        await send(chat, 'Answer with whichever model has room.');
        await chat.locator('.wait-banner').waitFor({ timeout: 20_000 });
        await chat.locator('.wait-banner button', { hasText: 'Use claude-haiku-4-5' }).click();
        await chat.locator('article.message.assistant.status-complete').waitFor({ timeout: 20_000 });
        const model = await lastAnswer(chat).locator('.model').innerText();
        assert.equal(model, 'claude-haiku-4-5');
        log(`answered by ${model} (sonnet bucket drained, 2 requests per minute)`);
      } finally {
        restoreSettings();
        await sim.close();
      }
    },
  },
  {
    name: 'chat: a reply with <script>, <img onerror>, javascript: and command: links renders inert; Apply as diff opens the diff',
    timeoutMs: CHECK_TIMEOUT_MS,
    async run({ page, workbenchUrl, screenshot, log }) {
      const server = await startScriptedReplyServer(HOSTILE_REPLY);
      try {
        const chat = await openChat(page, workbenchUrl, server.url);
        await runCommand(page, 'File: New Untitled Text File');
        await send(chat, 'Show me something nasty.');
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
        const notice = await chat.locator('#notice').innerText();
        assert.match(notice, /Review the diff/);
        log(`links kept: ${JSON.stringify(hrefs)}; notice "${notice}"`);
        await screenshot('apply-as-diff');
      } finally {
        await server.close();
      }
    },
  },
  {
    name: 'chat: a mid-stream failure keeps the partial answer, marked interrupted, and Continue finishes it',
    timeoutMs: CHECK_TIMEOUT_MS,
    async run({ page, workbenchUrl, screenshot, log }) {
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 40,
        replyTokens: [60, 80],
      });
      try {
        const chat = await openChat(page, workbenchUrl, sim.url);
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
      } finally {
        await sim.close();
      }
    },
  },
  {
    name: 'chat: Stop cancels the answer, keeps the partial text and offers Continue',
    timeoutMs: CHECK_TIMEOUT_MS,
    async run({ page, workbenchUrl, screenshot, log }) {
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 8,
        replyTokens: [300, 320],
      });
      try {
        const chat = await openChat(page, workbenchUrl, sim.url);
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
      } finally {
        await sim.close();
      }
    },
  },
  {
    name: 'chat: a message waiting at a window reload is restored with Resume, which answers it',
    timeoutMs: CHECK_TIMEOUT_MS,
    async run({ page, workbenchUrl, screenshot, log }) {
      // 6 requests per minute: an empty bucket refills one request in 10 s.
      const sim = await startChatSimulator({
        requestsPerMinute: 6,
        tokensPerSecond: 60,
        replyTokens: [30, 60],
      });
      try {
        const chat = await openChat(page, workbenchUrl, sim.url);
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
      } finally {
        await sim.close();
      }
    },
  },
];
