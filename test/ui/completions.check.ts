// Inline completions in the real workbench: ghost text from the simulator, accepted with Tab.
import * as assert from 'node:assert/strict';
import { serverEnvironment, startChatSimulator, withExtensionEnvironment } from './chatServers';
import { type UiCheck } from './uiCheck';
import { useUserSettings } from './userSettings';
import { openWorkbench, runCommand } from './workbench';

const TYPED = 'const total = ';

export const checks: UiCheck[] = [
  {
    name: 'completions: typing shows ghost text from the simulator and Tab accepts it',
    timeoutMs: 120_000,
    opensWorkbench: true,
    async run({ page, workbenchUrl, userSettingsFile, screenshot, log }) {
      const sim = await startChatSimulator({
        requestsPerMinute: 1000,
        tokensPerSecond: 0,
        replyTokens: [3, 5],
      });
      const restoreSettings = useUserSettings(userSettingsFile, {
        'claudePacer.inlineCompletions.enabled': true,
        'editor.inlineSuggest.enabled': true,
      });
      try {
        await openWorkbench(page, withExtensionEnvironment(workbenchUrl, serverEnvironment(sim.url)));
        await runCommand(page, 'File: New Untitled Text File');
        const editor = page.locator('.editor-instance .monaco-editor').first();
        await editor.waitFor({ timeout: 30_000 });
        await editor.click();
        await page.keyboard.type(TYPED, { delay: 40 });
        const ghost = editor.locator('.ghost-text-decoration, .ghost-text').first();
        // Under the smoke-test driver VS Code asked the provider while Playwright typed in some runs
        // and not at all in others; the explicit trigger (Alt+\) then shows the same ghost text.
        await ghost.waitFor({ timeout: 3_000 }).catch(async () => {
          log(`no automatic ghost text within 3 s (requests: ${sim.stats().records.length}); triggering`);
          await runCommand(page, 'Trigger Inline Suggestion');
          await ghost.waitFor({ timeout: 20_000 });
        });
        const suggestion = (await ghost.innerText()).trim();
        log(`ghost text: ${JSON.stringify(suggestion)}`);
        assert.ok(suggestion.length > 0, 'the ghost text has content');
        await screenshot('ghost-text');
        await page.keyboard.press('Tab');
        const line = editor.locator('.view-lines .view-line').first();
        const accepted = await line.innerText();
        log(`line after Tab: ${JSON.stringify(accepted)}`);
        assert.ok(
          accepted.replace(/\u00a0/g, ' ').startsWith(`${TYPED}${suggestion.slice(0, 4)}`),
          'Tab inserted the suggestion after the typed text',
        );
        assert.equal(await editor.locator('.ghost-text-decoration').count(), 0, 'no ghost text left');
        const served = sim.stats().records.filter((r) => r.model === 'claude-haiku-4-5').length;
        log(`completion requests at the simulator: ${served}`);
        assert.ok(served >= 1);
        await screenshot('accepted');
      } finally {
        restoreSettings();
        await sim.close();
      }
    },
  },
];
