// The chat view as the chat UI checks drive it: open it on a server, type, read answers.
import * as assert from 'node:assert/strict';
import { type FrameLocator, type Page } from 'playwright-core';
import { serverEnvironment, withExtensionEnvironment } from './chatServers';
import { type UiCheckContext } from './uiCheck';
import { startSwitchboard, type Switchboard } from './switchboard';
import { useUserSettings } from './userSettings';
import { clearNotifications, openWorkbench, runCommand, UI_TIMEOUT_MS, webviewFrame } from './workbench';
import { waitUntil } from '../support/waitUntil';

/** Timeout of each chat check: they wait on real streaming and rate-limit windows. */
export const CHECK_TIMEOUT_MS = 150_000;

/** A page's chat window: the switchboard its extension is pointed at, and the user settings it was loaded with. */
interface ChatWindow {
  readonly switchboard: Switchboard;
  /** `settings` as JSON. */
  readonly settings: string;
  readonly restoreSettings?: () => void;
}

/** The chat window each page holds; a check of a file that shares its workbench reuses the last one's. */
const chatWindows = new WeakMap<Page, ChatWindow>();

/**
 * Points `page`'s window at `serverUrl` with `settings` in force, and returns true when it reused
 * the window. The page's first call loads the workbench pointed at a switchboard connected to the
 * server; a later one on the same page (a file that shares its workbench) with the same settings
 * connects the switchboard to its own server and clears what the last check left (editors,
 * notifications), with other settings it reloads the page. The extension host lives on between
 * checks: what its scheduler learned from the last server's headers stays until the new server's
 * first response replaces it, so a file that shares its page runs a check that exhausts a budget
 * last. The settings are restored and the switchboard closed when the page closes.
 */
export async function openOnServer(
  context: UiCheckContext,
  serverUrl: string,
  settings: Record<string, unknown>,
): Promise<boolean> {
  const { page } = context;
  const previous = chatWindows.get(page);
  const settingsJson = JSON.stringify(settings);
  if (previous?.settings === settingsJson) {
    previous.switchboard.connect(serverUrl);
    await clearWorkbench(page);
    return true;
  }
  if (previous === undefined)
    page.once('close', () => {
      const last = chatWindows.get(page);
      last?.restoreSettings?.();
      void last?.switchboard.close();
    });
  // A reload asks nothing about unsaved editors when there are none.
  if (page.url() !== 'about:blank') await clearWorkbench(page);
  previous?.restoreSettings?.();
  const switchboard = previous?.switchboard ?? (await startSwitchboard());
  switchboard.connect(serverUrl);
  // No settings, no write: checks without settings leave the shared file untouched.
  const hasSettings = Object.keys(settings).length > 0;
  chatWindows.set(page, {
    switchboard,
    settings: settingsJson,
    ...(hasSettings ? { restoreSettings: useUserSettings(context.userSettingsFile, settings) } : {}),
  });
  await openWorkbench(
    page,
    withExtensionEnvironment(context.workbenchUrl, serverEnvironment(switchboard.url)),
  );
  return false;
}

/** A new chat on `page` answered by `serverUrl`, with `settings` in force (see {@link openOnServer}). */
async function openChat(
  context: UiCheckContext,
  serverUrl: string,
  settings: Record<string, unknown>,
): Promise<FrameLocator> {
  const { page } = context;
  const isReused = await openOnServer(context, serverUrl, settings);
  await runCommand(page, 'Claude: New Chat');
  const chat = webviewFrame(page);
  await chat.locator('#prompt').waitFor({ timeout: 30_000 });
  if (isReused) {
    // The last check's conversation shows until the new one arrives by message; what it attached
    // stays in the composer (attachments outlive New Chat) until pressed away.
    await chat.locator('article.message').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    const attached = chat.locator('.chip.attached');
    for (let count = await attached.count(); count > 0; count = await attached.count()) {
      await attached.first().click();
      await waitUntil(() => attached.count(), {
        isDone: (now) => now < count,
        timeoutMs: UI_TIMEOUT_MS,
        intervalMs: 100,
        what: 'an attachment to go',
      });
    }
  }
  return chat;
}

/** What the last check left in a reused window that the next one could see: editors (unsaved ones discarded) and notifications. */
async function clearWorkbench(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  const unsaved = page.locator('.monaco-dialog-box').filter({ hasText: /save/i }).first();
  if (
    await unsaved.waitFor({ timeout: 1_500 }).then(
      () => true,
      () => false,
    )
  ) {
    await unsaved.locator('.monaco-button', { hasText: "Don't Save" }).first().click();
    await unsaved.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  await clearNotifications(page);
}

/**
 * Runs `body` on a new chat against `server` with `settings` applied (see {@link openChat}); always
 * closes `server`. Settings stay in force until the page closes.
 */
export async function withChat(
  context: UiCheckContext,
  server: { readonly url: string; close(): Promise<void> },
  settings: Record<string, unknown>,
  body: (chat: FrameLocator) => Promise<void>,
): Promise<void> {
  try {
    await body(await openChat(context, server.url, settings));
  } finally {
    await server.close();
  }
}

/** Types `text` into the prompt, sends it, and waits until it shows as the user's message. */
export async function send(chat: FrameLocator, text: string): Promise<void> {
  const prompt = chat.locator('#prompt');
  await prompt.click();
  await prompt.fill(text);
  await prompt.press('Enter');
  await chat.locator('article.message.user .body', { hasText: text }).last().waitFor();
}

/** The newest assistant message. */
export function lastAnswer(chat: FrameLocator): ReturnType<FrameLocator['locator']> {
  return chat.locator('article.message.assistant').last();
}

/** Seconds left in the banner's "Resumes in m:ss". */
export async function countdownSeconds(chat: FrameLocator): Promise<number> {
  const text = await chat.locator('.wait-banner .wait-countdown').innerText();
  const match = /Resumes in (\d+):(\d\d)/.exec(text);
  assert.ok(match, `countdown text: ${text}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Answers the endpoint confirmation if it comes within a few seconds (and says so). A window is
 * meant to start with its server pre-approved through CLAUDE_PACER_BASE_URL, but on a loaded
 * machine a check was seen getting the question anyway (cause not found yet; see the issue note).
 */
export async function approveEndpointIfAsked(page: Page): Promise<boolean> {
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'Send your Claude API keys' }).first();
  const isAsked = await dialog.waitFor({ timeout: 3_000 }).then(
    () => true,
    () => false,
  );
  if (isAsked) await dialog.locator('.monaco-button', { hasText: 'Send Keys' }).first().click();
  return isAsked;
}
