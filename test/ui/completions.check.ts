// Inline completions in the real workbench: ghost text from the simulator, accepted with Tab.
import * as assert from 'node:assert/strict';
import { serverEnvironment, startChatSimulator, withExtensionEnvironment } from './chatServers';
import { type Locator } from 'playwright-core';
import { waitUntil } from '../support/waitUntil';
import { type UiCheck } from './uiCheck';
import { useUserSettings } from './userSettings';
import { openWorkbench, runCommand } from './workbench';

const TYPED = 'const total = ';

/** An editor line as the document holds it (ghost text left out), and the text ahead of its first ghost text. */
interface LineText {
  readonly document: string;
  /** Undefined when the line shows no ghost text. */
  readonly beforeGhost: string | undefined;
}

/** Reads `line` from the DOM: its text without the ghost-text spans, and where the first of them sits. */
async function readLine(line: Locator): Promise<LineText> {
  // No named helper inside the page function: tsx's keepNames would wrap it in `__name`, which the
  // page does not have.
  const raw = await line.evaluate((element) => {
    const ghostSelector = '.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text';
    const copy = element.cloneNode(true) as Element;
    copy.querySelectorAll(ghostSelector).forEach((span) => span.remove());
    const ghost = element.querySelector(ghostSelector);
    if (!ghost) return { document: copy.textContent ?? '', beforeGhost: undefined };
    const range = document.createRange();
    range.setStart(element, 0);
    range.setEndBefore(ghost);
    return { document: copy.textContent ?? '', beforeGhost: range.toString() };
  });
  const spaces = (text: string): string => text.replace(/\u00a0/g, ' ');
  return {
    document: spaces(raw.document),
    beforeGhost: raw.beforeGhost === undefined ? undefined : spaces(raw.beforeGhost),
  };
}

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
        const line = editor.locator('.view-lines .view-line').first();
        const shown = await readLine(line);
        log(`line with ghost text: ${JSON.stringify(shown)}`);
        // The reader must tell ghost text from document text, or the check below could pass on ghost text.
        assert.deepEqual(
          [shown.document.trimEnd(), shown.beforeGhost?.trimEnd()],
          [TYPED.trimEnd(), TYPED.trimEnd()],
          'before Tab the suggestion is only ghost text, right after the typed text',
        );
        await page.keyboard.press('Tab');
        // What Tab must do: the suggestion becomes document text after what was typed, and is no
        // longer offered as ghost text at the typed position. Another suggestion may show right
        // away after the accepted text (under load the editor asks again at once): that is fine.
        const firstLine = suggestion.split('\n')[0]!.replace(/\u00a0/g, ' ');
        const accepted = await waitUntil(() => readLine(line), {
          what: `the line to hold ${JSON.stringify(TYPED + firstLine)} as text`,
          timeoutMs: 10_000,
          intervalMs: 100,
          isDone: (text) =>
            text.document.startsWith(TYPED) &&
            text.document.slice(TYPED.length).trimStart().startsWith(firstLine),
        });
        log(`line after Tab: ${JSON.stringify(accepted)}`);
        assert.notEqual(
          accepted.beforeGhost?.trimEnd(),
          TYPED.trimEnd(),
          'the accepted suggestion is not still pending as ghost text right after the typed text',
        );
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
