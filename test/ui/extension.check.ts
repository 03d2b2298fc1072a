import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type UiCheck } from './uiCheck';
import {
  clearNotifications,
  findCommand,
  readStatusBarItem,
  runCommand,
  statusBarItem,
  statusBarItemId,
  waitForNotification,
} from './workbench';

interface CommandContribution {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

interface Manifest {
  readonly activationEvents?: readonly string[];
  readonly contributes?: {
    readonly commands?: readonly CommandContribution[];
    readonly menus?: { readonly commandPalette?: readonly { readonly command: string }[] };
  };
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
) as Manifest;

/** Palette label of a contributed command: `Category: Title`. */
function paletteTitle(command: CommandContribution): string {
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

const DETAILS_COMMAND = 'Claude: Show Rate-Limit Details';
const STATUS_ITEM_ID = 'claudePacer.status';

/** Checks that the workbench shows the extension's contributions and that its first UI works. */
export const checks: UiCheck[] = [
  {
    name: 'the palette lists every contributed command',
    async run({ page }) {
      // Commands with a commandPalette menu entry may be hidden by a `when` clause; the rest must be listed.
      const gated = new Set(
        (manifest.contributes?.menus?.commandPalette ?? []).map((entry) => entry.command),
      );
      const expected = (manifest.contributes?.commands ?? [])
        .filter((command) => !gated.has(command.command))
        .map(paletteTitle);
      assert.ok(expected.length > 0, 'package.json contributes no command');
      for (const title of expected) await findCommand(page, title);
    },
  },
  {
    name: `"${DETAILS_COMMAND}" from the palette shows its message`,
    async run({ page }) {
      await runCommand(page, DETAILS_COMMAND);
      await waitForNotification(page, /Claude Pacer/);
    },
  },
  {
    name: 'the status-bar item shows the pulse icon and "Claude", and opens the details',
    async run({ page, extensionId, log }) {
      const id = statusBarItemId(extensionId, STATUS_ITEM_ID);
      const activatesAtStartup = (manifest.activationEvents ?? []).some((event) =>
        ['*', 'onStartupFinished'].includes(event),
      );
      if (!activatesAtStartup) {
        // Without a startup activation event the extension (and its item) starts with its first command.
        log('no startup activation event: activating through the palette first');
        await runCommand(page, DETAILS_COMMAND);
      }
      const item = await readStatusBarItem(page, id);
      assert.equal(item.text, 'Claude');
      assert.deepEqual(item.icons, ['pulse']);
      log(
        `text "${item.text}", icons ${item.icons.join(',')}, classes "${item.classes.join(' ')}", background ${item.background}`,
      );
      await clearNotifications(page);
      await statusBarItem(page, id).click();
      await waitForNotification(page, /Claude Pacer/);
    },
  },
];
