import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSimulatorConfig, startSimulator } from '../../sim/simulator';
import { approveEndpointIfAsked } from './chatPage';
import { CHAT_KEY, CHAT_ORG, serverEnvironment, withExtensionEnvironment } from './chatServers';
import { type UiCheck } from './uiCheck';
import { openWorkbench, runWithInputs, UI_TIMEOUT_MS, waitForNotification } from './workbench';

const DIR = 'agent-ui';

/** The folder the workbench URL opens (this check's own copy of the workspace). */
function workspaceFolderOf(workbenchUrl: string): string {
  const folder = new URL(workbenchUrl).searchParams.get('folder');
  assert.ok(folder, `no folder in ${workbenchUrl}`);
  return folder.replace(/^vscode-remote:\/\/[^/]+/, '');
}

export const checks: UiCheck[] = [
  {
    name: 'agent: the review lists each proposed file with its diff; only the file picked lands',
    timeoutMs: 120_000,
    opensWorkbench: true,
    async run({ page, workbenchUrl, screenshot, log }) {
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
        await openWorkbench(page, withExtensionEnvironment(workbenchUrl, serverEnvironment(sim.url)));
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
];
