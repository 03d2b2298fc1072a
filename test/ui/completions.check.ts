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
        // Typed like a person (120 ms a key): in two runs on 2026-12-07 every round of typing,
        // 40 or 120 ms a key, asked the provider once by itself and ghost text showed in 6 of 7
        // (once, at 40 ms, the request was served but no ghost text showed within 8 s). The
        // explicit trigger (Alt+\) stays as the fallback and is logged when it is needed.
        await page.keyboard.type(TYPED, { delay: 120 });
        const ghost = editor.locator('.ghost-text-decoration, .ghost-text').first();
        let trigger = 'typing';
        await ghost.waitFor({ timeout: 8_000 }).catch(async () => {
          trigger = 'Trigger Inline Suggestion';
          log(`no automatic ghost text within 8 s (requests: ${sim.stats().records.length}); triggering`);
          await runCommand(page, 'Trigger Inline Suggestion');
          await ghost.waitFor({ timeout: 20_000 });
        });
        const suggestion = (await ghost.innerText()).trim();
        log(`ghost text (shown by ${trigger}): ${JSON.stringify(suggestion)}`);
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
