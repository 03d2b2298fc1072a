import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSimulatorConfig, startSimulator } from '../../sim/simulator';
import { approveEndpointIfAsked, CHECK_TIMEOUT_MS, openOnServer, withChat } from './chatPage';
import { CHAT_KEY, CHAT_ORG } from './chatServers';
import { type UiCheck } from './uiCheck';
import { runWithInputs, UI_TIMEOUT_MS, waitForNotification, workspaceFolderOf } from './workbench';

const DIR = 'agent-ui';
const CHAT_DIR = 'agent-ui-chat';
const GREET_A = 'export function greet() {}\n';
const GREET_B = 'greet();\n';

/** The rename of issue 15 in four steps: list, read both, propose both, answer. */
const RENAME_SCRIPT = {
  match: 'rename greet in agent-ui-chat',
  steps: [
    { text: 'Looking.', toolUses: [{ name: 'list_files', input: { glob: `${CHAT_DIR}/*.ts` } }] },
    {
      toolUses: [
        { name: 'read_file', input: { path: `${CHAT_DIR}/a.ts` } },
        { name: 'read_file', input: { path: `${CHAT_DIR}/b.ts` } },
      ],
    },
    {
      toolUses: [
        {
          name: 'replace_lines',
          input: {
            path: `${CHAT_DIR}/a.ts`,
            startLine: 1,
            endLine: 1,
            newText: 'export function welcome() {}',
          },
        },
        {
          name: 'replace_lines',
          input: { path: `${CHAT_DIR}/b.ts`, startLine: 1, endLine: 1, newText: 'welcome();' },
        },
      ],
    },
    { text: 'Renamed greet to welcome in both files.' },
  ],
};

/** One window (see `openOnServer`); the chat check, whose simulator makes a step wait, runs last. */
export const sharesWorkbench = true;

export const checks: UiCheck[] = [
  {
    name: 'agent: the review lists each proposed file with its diff; only the file picked lands',
    timeoutMs: 120_000,
    opensWorkbench: true,
    async run(context) {
      const { page, workbenchUrl, screenshot, log } = context;
      const sim = await startSimulator({
        config: parseSimulatorConfig({
          organizations: [{ id: CHAT_ORG, keys: [CHAT_KEY] }],
          scripts: [
            {
              match: 'agent-ui task',
              steps: [
                { text: 'Looking.', toolUses: [{ name: 'list_files', input: { glob: '**/*' } }] },
                {
                  toolUses: [
                    { name: 'create_file', input: { path: `${DIR}/one.txt`, content: 'one\n' } },
                    { name: 'create_file', input: { path: `${DIR}/two.txt`, content: 'two\n' } },
                  ],
                },
                { text: 'Created two files.' },
              ],
            },
          ],
        }),
        port: 0,
      });
      try {
        const folder = workspaceFolderOf(workbenchUrl);
        await openOnServer(context, sim.url, {});
        await runWithInputs(page, 'Claude: Run Agent Task…', ['Please do the agent-ui task.']);
        if (await approveEndpointIfAsked(page)) log('answered the endpoint question');
        const review = page.locator('.quick-input-widget').filter({ hasText: "Review Claude's changes" });
        await review.waitFor({ timeout: 60_000 });
        const rows = review.locator('.quick-input-list .monaco-list-row');
        await rows.nth(1).waitFor({ timeout: UI_TIMEOUT_MS });
        const labels = await rows.evaluateAll((elements) =>
          elements.map((e) => e.getAttribute('aria-label') ?? ''),
        );
        assert.ok(
          labels[0]?.includes(`${DIR}/one.txt`) && labels[1]?.includes(`${DIR}/two.txt`),
          JSON.stringify(labels),
        );
        await rows.nth(1).hover();
        await rows.nth(1).locator('.codicon-diff').click();
        await page
          .locator('.tab', { hasText: 'proposed by Claude' })
          .first()
          .waitFor({ timeout: UI_TIMEOUT_MS });
        await screenshot('review-with-diff');
        await rows.nth(0).click();
        await review.locator('input').first().press('Enter');
        const shown = await waitForNotification(page, 'Claude finished in 3 steps.', 30_000);
        log(`notification: ${shown}`);
        assert.match(shown, new RegExp(`Written: ${DIR}/one\\.txt\\.`));
        assert.equal(fs.readFileSync(path.join(folder, DIR, 'one.txt'), 'utf8'), 'one\n');
        assert.equal(
          fs.existsSync(path.join(folder, DIR, 'two.txt')),
          false,
          'the file not picked is not written',
        );
      } finally {
        await sim.close();
      }
    },
  },
  {
    name: 'agent mode in the chat: progress inline with the waiting step (Retry now, Cancel), then Accept / Reject per file in the diff title; exactly the accepted file lands',
    timeoutMs: CHECK_TIMEOUT_MS,
    opensWorkbench: true,
    async run(context) {
      const { page, workbenchUrl, screenshot, log } = context;
      const folder = workspaceFolderOf(workbenchUrl);
      fs.mkdirSync(path.join(folder, CHAT_DIR), { recursive: true });
      fs.writeFileSync(path.join(folder, CHAT_DIR, 'a.ts'), GREET_A);
      fs.writeFileSync(path.join(folder, CHAT_DIR, 'b.ts'), GREET_B);
      const sim = await startSimulator({
        config: parseSimulatorConfig({
          // A burst of 3 requests, then one every 5 s (12 per minute over 15 s windows): step 4 waits.
          limiterWindowSec: { requests: 15 },
          organizations: [{ id: CHAT_ORG, keys: [CHAT_KEY], limits: { default: { requestsPerMinute: 12 } } }],
          scripts: [RENAME_SCRIPT],
        }),
        port: 0,
      });
      await withChat(context, sim, {}, async (chat) => {
        await chat.locator('#agent-mode').check();
        const prompt = chat.locator('#prompt');
        assert.match((await prompt.getAttribute('placeholder')) ?? '', /task/);
        await prompt.fill('Please rename greet in agent-ui-chat to welcome.');
        await prompt.press('Enter');
        if (await approveEndpointIfAsked(page)) log('answered the endpoint question');
        const run = chat.locator('article.agent-run').last();
        await run.locator('.agent-task').waitFor({ timeout: UI_TIMEOUT_MS });
        const wait = run.locator('.agent-wait');
        await wait.waitFor({ timeout: 60_000 });
        const waitText = await wait.locator('.agent-wait-text').innerText();
        log(`inline wait: ${waitText}`);
        assert.match(waitText, /^Step \d+ waits \d+:\d\d for requests per minute$/);
        assert.equal(await wait.locator('button', { hasText: 'Retry now' }).isVisible(), true);
        assert.equal(await wait.locator('button', { hasText: 'Cancel' }).isVisible(), true);
        const steps = await run.locator('.agent-step').allInnerTexts();
        assert.ok(steps.includes('Step 1: list_files'), JSON.stringify(steps));
        await screenshot('agent-chat-inline-wait');
        await run
          .locator('.agent-status', { hasText: 'Waiting for your review' })
          .waitFor({ timeout: 90_000 });
        for (const label of ['Show diffs', 'Accept all', 'Reject all'])
          assert.equal(
            await run.locator('.agent-review-actions button', { hasText: label }).isVisible(),
            true,
            `${label} shows on the run under review`,
          );
        const diffTab = (file: string) =>
          page.locator('.tab', { hasText: `${CHAT_DIR}/${file} (proposed by Claude` });
        await diffTab('a.ts').waitFor({ timeout: UI_TIMEOUT_MS });
        await diffTab('b.ts').waitFor({ timeout: UI_TIMEOUT_MS });
        await diffTab('a.ts').click();
        const titleAction = (label: string) =>
          page.locator(`.editor-actions .action-label[aria-label^="${label}"]`).first();
        await titleAction('Accept This File').waitFor({ timeout: UI_TIMEOUT_MS });
        for (const label of ['Reject This File', 'Accept All', 'Reject All'])
          assert.equal(await titleAction(label).isVisible(), true, `${label} shows in the diff's title`);
        await page
          .locator('.editor-instance .monaco-diff-editor')
          .first()
          .waitFor({ timeout: UI_TIMEOUT_MS });
        await screenshot('agent-chat-diff-accept-reject');
        assert.equal(
          fs.readFileSync(path.join(folder, CHAT_DIR, 'a.ts'), 'utf8'),
          GREET_A,
          'nothing before a click',
        );
        await titleAction('Accept This File').click();
        await diffTab('a.ts').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        await diffTab('b.ts').click();
        await titleAction('Reject This File').click();
        const noteText = await run
          .locator('.agent-note')
          .filter({ hasText: 'Written' })
          .innerText({ timeout: 30_000 });
        log(`note: ${noteText}`);
        assert.match(noteText, new RegExp(`Written: ${CHAT_DIR}/a\\.ts\\. Rejected: ${CHAT_DIR}/b\\.ts\\.`));
        assert.equal(
          fs.readFileSync(path.join(folder, CHAT_DIR, 'a.ts'), 'utf8'),
          'export function welcome() {}\n',
        );
        assert.equal(fs.readFileSync(path.join(folder, CHAT_DIR, 'b.ts'), 'utf8'), GREET_B);
        await screenshot('agent-chat-done');
      });
    },
  },
];
