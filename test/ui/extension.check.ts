import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Page } from 'playwright-core';
import { type UiCheck } from './uiCheck';
import { readStatusBarItem, statusBarItem, statusBarItemId } from './statusBarItem';
import {
  clearNotifications,
  closeQuickInput,
  findCommand,
  runCommand,
  searchCommands,
  waitForNotification,
} from './workbench';

interface CommandContribution {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

interface Manifest {
  readonly displayName: string;
  readonly activationEvents?: readonly string[];
  readonly contributes?: {
    readonly commands?: readonly CommandContribution[];
    readonly menus?: { readonly commandPalette?: readonly { readonly command: string }[] };
  };
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
) as Manifest;

const manifestStrings = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'package.nls.json'), 'utf8'),
) as Record<string, string>;

/** A manifest string as the workbench shows it: `%key%` placeholders come from package.nls.json. */
function localized(text: string): string {
  const key = /^%([^%\s]+)%$/.exec(text)?.[1];
  return key === undefined ? text : (manifestStrings[key] ?? text);
}

/** Palette label of a contributed command: `Category: Title`. */
function paletteTitle(command: CommandContribution): string {
  const title = localized(command.title);
  return command.category ? `${localized(command.category)}: ${title}` : title;
}

const STATUS_ITEM_ID = 'claudePacer.status';

/** Activates the extension, when it declares no startup activation event, with a command that only opens its log. */
async function ensureActivated(page: Page, log: (message: string) => void): Promise<void> {
  const atStartup = (manifest.activationEvents ?? []).some((event) =>
    ['*', 'onStartupFinished'].includes(event),
  );
  if (atStartup) return;
  log('no startup activation event: activating with "Claude: Show Log" first');
  await runCommand(page, 'Claude: Show Log');
}

/**
 * These checks only read the workbench and open quick inputs, so they share one workbench page
 * (opened once; the runner closes any quick input between them) instead of loading one each.
 */
export const sharesWorkbench = true;

/** Checks that the workbench shows the extension's contributions and that its first UI works. */
export const checks: UiCheck[] = [
  {
    name: 'the palette lists every contributed command',
    async run({ page, log }) {
      // Commands with a commandPalette menu entry may be hidden by a `when` clause; the rest must be listed.
      const gated = new Set(
        (manifest.contributes?.menus?.commandPalette ?? []).map((entry) => entry.command),
      );
      const expected = (manifest.contributes?.commands ?? [])
        .filter((command) => !gated.has(command.command))
        .map(paletteTitle);
      assert.ok(expected.length > 0, 'package.json contributes no command');
      const started = Date.now();
      await findCommand(page, expected[0]!);
      log(
        `contributions listed ${((Date.now() - started) / 1000).toFixed(1)} s after the workbench appeared`,
      );
      const listed = await searchCommands(page, 'Claude: ');
      // The list is virtualised and may not render every row: look up what one search did not show.
      for (const title of expected.filter((t) => !listed.some((label) => label.startsWith(t)))) {
        await findCommand(page, title);
      }
    },
  },
  {
    name: '"Claude: Cancel Queued Requests" reports in a notification',
    async run({ page }) {
      await runCommand(page, 'Claude: Cancel Queued Requests');
      await waitForNotification(page, 'Cancelled 0 queued request(s).');
    },
  },
  {
    name: '"Claude: Show Rate-Limit Details" opens the rate-limit picker',
    async run({ page }) {
      await runCommand(page, 'Claude: Show Rate-Limit Details');
      const picker = page.locator('.quick-input-widget');
      await picker.locator('.quick-input-title', { hasText: /rate limits/i }).waitFor();
      const rows = await picker.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      assert.ok(
        rows.some((row) => row.includes('Show log')),
        `rows: ${JSON.stringify(rows)}`,
      );
    },
  },
  {
    name: 'the status-bar item shows the pacer state and opens a picker when clicked',
    async run({ page, extensionId, log }) {
      await ensureActivated(page, log);
      const id = statusBarItemId(extensionId, STATUS_ITEM_ID);
      const item = await readStatusBarItem(page, id);
      log(
        `text "${item.text}", icons [${item.icons.join(', ')}], classes "${item.classes.join(' ')}", background ${item.background}`,
      );
      assert.notEqual(item.text, '');
      assert.match(item.ariaLabel, /^Claude Pacer/);
      await clearNotifications(page);
      await closeQuickInput(page);
      // Without a key it opens "Add API key" (an input box), otherwise the details picker: both are quick inputs.
      await statusBarItem(page, id).click();
      await page.locator('.quick-input-widget').waitFor();
    },
  },
  {
    name: '"Developer: Show Running Extensions" lists the extension with its activation time',
    async run({ page, extensionId, log }) {
      await ensureActivated(page, log);
      await runCommand(page, 'Developer: Show Running Extensions');
      const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
      await rows.first().waitFor();
      // An extension under development is listed by its id, an installed one by its display name.
      const name = new RegExp(`^(${escapeRegExp(extensionId)}|${escapeRegExp(manifest.displayName)})$`);
      const row = rows.filter({ has: page.locator('.name', { hasText: name }) });
      // Activated on startup-finished, it may still show "Activating..." right after the page loads.
      const time = row.locator('.activation-time');
      await time
        .filter({ hasText: /Activation: \d+ms/ })
        .waitFor({ timeout: 20_000 })
        .catch(() => undefined);
      const activation = await time.innerText();
      log(activation);
      assert.match(activation, /Activation: \d+ms/);
    },
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
