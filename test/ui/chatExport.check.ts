// Chat checks of what leaves or enters the chat through files: Export as Markdown (palette and
// history) through VS Code's save dialog, and a file's Problems attached by the picker.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FrameLocator, type Page } from 'playwright-core';
import { startScriptedReplyServer } from './chatServers';
import { CHECK_TIMEOUT_MS, send, withChat } from './chatPage';
import { type UiCheck } from './uiCheck';
import { chooseRow, runCommand, UI_TIMEOUT_MS, waitForNotification, workspaceFolderOf } from './workbench';
import { waitUntil } from '../support/waitUntil';

/** Replies with Markdown in them, so the export can be checked to keep the answer's source, not its rendering. */
const FIRST_REPLY = [
  'A **token bucket** holds up to *capacity* tokens and refills at a steady rate.',
  '',
  '- each request takes tokens',
  '- an empty bucket means wait',
  '',
  '```ts',
  'const wait = missing / refillPerSecond;',
  '```',
].join('\n');
const SECOND_REPLY = 'A **leaky bucket** drains at a fixed rate; bursts queue instead of passing.';
const PROBLEMS_REPLY = 'Add a comma after `"name": "pacer"` on line 2.';

/**
 * Waits until `count` answers are complete, answering the endpoint confirmation if it comes
 * meanwhile (a window is meant to start with its server pre-approved; see approveEndpointIfAsked).
 */
async function answered(page: Page, chat: FrameLocator, count: number): Promise<void> {
  const ask = page.locator('.monaco-dialog-box').filter({ hasText: 'Send your Claude API keys' });
  await waitUntil(
    async () => {
      if (await ask.isVisible())
        await ask.locator('.monaco-button', { hasText: 'Send Keys' }).first().click();
      return chat.locator('article.message.assistant.status-complete').count();
    },
    { isDone: (n) => n >= count, timeoutMs: 30_000, intervalMs: 200, what: `${count} complete answer(s)` },
  );
}

/**
 * Accepts VS Code's save dialog (in the web workbench, a quick input holding the path) with the
 * offered path, and returns that path once the file is on disk.
 */
async function acceptSaveDialog(
  page: Page,
  screenshot: (label: string) => Promise<void>,
  label: string,
): Promise<string> {
  const widget = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
  await widget.locator('.quick-input-title', { hasText: 'Export Conversation as Markdown' }).waitFor({
    timeout: UI_TIMEOUT_MS,
  });
  const input = widget.locator('input.input').first();
  const offered = await waitUntil(() => input.inputValue(), {
    isDone: (value) => value.endsWith('.md'),
    timeoutMs: UI_TIMEOUT_MS,
    intervalMs: 100,
    what: 'the save dialog to offer a .md path',
  });
  await input.press('End'); // the offered name shows, not only the folder
  await screenshot(label);
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  // The file can exist before its content is written (a clean clone's run read it empty once).
  await waitUntil(() => fs.existsSync(offered) && fs.readFileSync(offered, 'utf8').endsWith('\n'), {
    timeoutMs: UI_TIMEOUT_MS,
    intervalMs: 100,
    what: `the export at ${offered}, written`,
  });
  return offered;
}

/** Closes the notification center that reading notifications opened (the bell toggles it). */
async function closeNotificationCenter(page: Page): Promise<void> {
  const center = page.locator('.notifications-center');
  if (await center.isVisible()) await page.locator('[id="status.notifications"]').click();
  await center.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

/** The exported Markdown at `file`, checked to hold `question` under "You" and `reply`, as written, under "Claude". */
function assertExport(file: string, question: string, reply: string): string {
  const markdown = fs.readFileSync(file, 'utf8');
  assert.ok(markdown.startsWith(`# ${question}\n`), `titled by the question:\n${markdown}`);
  assert.ok(markdown.includes(`## You\n\n${question}\n`), `the question under "You":\n${markdown}`);
  assert.match(markdown, /\n## Claude( \([\w.-]+\))?\n\n/, 'the answer under "Claude (model)"');
  assert.ok(markdown.includes(`\n\n${reply}\n`), `the answer's Markdown as written:\n${markdown}`);
  return markdown;
}

/** A JSON file with a syntax error on line 3: the built-in JSON language features report it, offline and at once. */
const BROKEN_JSON = '{\n  "name": "pacer"\n  "limit": 5\n}\n';

/** One window (see `withChat`): neither check depends on a budget. */
export const sharesWorkbench = true;

export const checks: UiCheck[] = [
  {
    name: 'chat export: Export Chat as Markdown and the history’s export button save the conversation as Markdown in the workspace',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, workbenchUrl, screenshot, log } = context;
      const folder = workspaceFolderOf(workbenchUrl);
      const first = 'Export check one, what is a token bucket';
      const second = 'Export check two, and a leaky bucket';
      const server = await startScriptedReplyServer([
        { text: FIRST_REPLY, stopReason: 'end_turn' },
        { text: SECOND_REPLY, stopReason: 'end_turn' },
      ]);
      await withChat(context, server, {}, async (chat) => {
        await runCommand(page, 'Claude: Export Chat as Markdown…');
        await waitForNotification(page, 'Nothing to export yet: this chat is empty.');
        await closeNotificationCenter(page);
        await send(chat, first);
        await answered(page, chat, 1);
        await runCommand(page, 'Claude: New Chat');
        await chat.locator('article.message').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        await send(chat, second);
        await answered(page, chat, 1);

        // The palette command exports the conversation shown.
        await runCommand(page, 'Claude: Export Chat as Markdown…');
        const shownFile = await acceptSaveDialog(page, screenshot, 'save-dialog');
        assert.equal(path.dirname(shownFile), folder, 'offered in the workspace folder');
        assert.equal(path.basename(shownFile), `${second}.md`, 'named after the first question');
        assertExport(shownFile, second, SECOND_REPLY);
        const notice = await waitForNotification(page, /^Conversation exported to .+\.md\.$/);
        assert.equal(notice, `Conversation exported to ${second}.md.`);
        await screenshot('exported-notice');
        await page
          .locator('.notifications-center .notification-list-item', { hasText: notice })
          .locator('.monaco-button', { hasText: 'Open' })
          .click();
        await page
          .locator('.tabs-container .tab.active', { hasText: `${second}.md` })
          .waitFor({ timeout: UI_TIMEOUT_MS });
        await closeNotificationCenter(page);

        // The history's export button exports the row's conversation, here not the one shown.
        await chat.locator('#history').click();
        const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: first }).first();
        await row.waitFor({ timeout: UI_TIMEOUT_MS });
        await row.hover();
        await screenshot('history-export-button');
        await row.getByRole('button', { name: 'Export as Markdown' }).click();
        const historyFile = await acceptSaveDialog(page, screenshot, 'history-save-dialog');
        assert.equal(path.dirname(historyFile), folder);
        const markdown = assertExport(historyFile, first, FIRST_REPLY);
        assert.ok(!markdown.includes(second), 'only the chosen conversation');
        log(
          `exported ${path.basename(shownFile)} and ${path.basename(historyFile)} (${markdown.length} characters)`,
        );
      });
    },
  },
  {
    name: 'chat export: a file’s Problems attached by the picker show as a chip and reach the request',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, workbenchUrl, screenshot, log } = context;
      fs.writeFileSync(path.join(workspaceFolderOf(workbenchUrl), 'broken.json'), BROKEN_JSON);
      const server = await startScriptedReplyServer(PROBLEMS_REPLY);
      await withChat(context, server, {}, async (chat) => {
        await runCommand(page, 'Go to File...');
        await page.locator('.quick-input-widget input').fill('broken.json');
        await chooseRow(
          page,
          page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'broken.json' }).first(),
        );
        await page
          .locator('.editor-instance .monaco-editor .squiggly-error')
          .first()
          .waitFor({ timeout: 20_000 });

        await chat.locator('#attach').click();
        const problemsRow = page
          .locator('.quick-input-list .monaco-list-row')
          .filter({ hasText: 'Problems of broken.json' })
          .first();
        await problemsRow.waitFor({ timeout: UI_TIMEOUT_MS });
        await problemsRow
          .locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox')
          .first()
          .click();
        await screenshot('problems-picked');
        await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
        const chip = chat.locator('.chip.attached', { hasText: 'Problems: broken.json' });
        await chip.waitFor({ timeout: UI_TIMEOUT_MS });
        const chipText = await chip.innerText();
        assert.match(chipText, /^Problems: broken\.json · ~\d+ tokens ✕$/);
        await screenshot('problems-chip');

        const question = 'Why does this file not parse?';
        await send(chat, question);
        const sent = chat.locator('article.message.user').last();
        const labels = await sent.locator('.context-label').allInnerTexts();
        assert.ok(
          labels.some((l) => /^Problems of broken\.json · ~\d+ tokens$/.test(l)),
          `the sent message shows the Problems: ${JSON.stringify(labels)}`,
        );
        await answered(page, chat, 1);
        assert.equal(await chat.locator('.chip.attached').count(), 0, 'the chip is spent with the message');

        const messages = server.requests.filter(
          (r) => r.method === 'POST' && r.path.startsWith('/v1/messages'),
        );
        const body = JSON.parse(messages.at(-1)?.body ?? '{}') as {
          messages?: { role: string; content: string | { type: string; text?: string }[] }[];
        };
        const lastUser = body.messages?.filter((m) => m.role === 'user').at(-1);
        const text =
          typeof lastUser?.content === 'string'
            ? lastUser.content
            : (lastUser?.content ?? []).map((part) => part.text ?? '').join('\n');
        assert.ok(
          text.includes('Problems the editor reports in `broken.json`:'),
          `the Problems heading:\n${text}`,
        );
        const problem = /^line 3 \(error\): .+$/m.exec(text);
        assert.ok(problem, `the JSON error on line 3 reached the API:\n${text}`);
        assert.ok(text.trimEnd().endsWith(question), 'the question after its context');
        log(`chip "${chipText}"; sent labels ${JSON.stringify(labels)}; request carried "${problem[0]}"`);
        await screenshot('problems-sent');
      });
    },
  },
];
