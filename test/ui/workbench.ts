import { type FrameLocator, type Locator, type Page } from 'playwright-core';
import { waitUntil } from '../support/waitUntil';

/** Default wait for workbench UI to react, in milliseconds. */
export const UI_TIMEOUT_MS = 15_000;

/** The folder on disk a check's workbench opened (its own copy of the workspace), read from `workbenchUrl`. */
export function workspaceFolderOf(workbenchUrl: string): string {
  const folder = new URL(workbenchUrl).searchParams.get('folder');
  if (!folder) throw new Error(`No folder in ${workbenchUrl}`);
  return folder.replace(/^vscode-remote:\/\/[^/]+/, '');
}

/** Where a check's time went: milliseconds per phase (workbench loads, palette commands), per page. */
const phaseTimes = new WeakMap<Page, Map<string, { ms: number; count: number }>>();

/** Runs `work` and adds its duration to `page`'s `phase` (read with {@link takePhaseTimes}). */
async function timed<T>(page: Page, phase: string, work: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  try {
    return await work();
  } finally {
    const phases = phaseTimes.get(page) ?? new Map<string, { ms: number; count: number }>();
    phaseTimes.set(page, phases);
    const sum = phases.get(phase) ?? { ms: 0, count: 0 };
    phases.set(phase, { ms: sum.ms + performance.now() - startedAt, count: sum.count + 1 });
  }
}

/** The phases timed on `page` since the last call, e.g. `workbench 6.1 s ×1, palette 4.2 s ×3`; '' when none. */
export function takePhaseTimes(page: Page): string {
  const phases = phaseTimes.get(page);
  phaseTimes.delete(page);
  return [...(phases ?? [])]
    .map(([phase, { ms, count }]) => `${phase} ${(ms / 1000).toFixed(1)} s ×${count}`)
    .join(', ');
}

/** Loads a workbench URL and waits until the workbench and its status bar are rendered. */
export function openWorkbench(page: Page, url: string): Promise<void> {
  return timed(page, 'workbench', async () => {
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('[id="status.notifications"]').waitFor({ timeout: 30_000 });
  });
}

/** Opens the command palette (F1) and types a query; returns the visible rows' labels and leaves the palette open. */
export async function searchCommands(page: Page, query: string): Promise<string[]> {
  await openPalette(page);
  await page.locator('.quick-input-widget input').fill(`>${query}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: UI_TIMEOUT_MS });
  return rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
}

/**
 * Waits until the palette lists a command by its full title (`Category: Title`) and leaves the
 * palette open on it. Retries the search: right after the page loads, the extension host may not
 * have registered the extension's contributions yet, and an open palette does not refresh its list.
 */
export function findCommand(page: Page, title: string, timeoutMs = UI_TIMEOUT_MS): Promise<Locator> {
  return timed(page, 'palette', () => findCommandRow(page, title, timeoutMs));
}

async function findCommandRow(page: Page, title: string, timeoutMs: number): Promise<Locator> {
  try {
    return await waitUntil(
      async () => {
        // Under load a try can fail on its own (the last palette not closing in time, its input
        // replaced while typing): that try lists nothing, and the next one starts over.
        const isTyped = await openPalette(page)
          .then(() => page.locator('.quick-input-widget input').fill(`>${title}`))
          .then(
            () => true,
            () => false,
          );
        if (!isTyped) return undefined;
        // A row's aria-label is its title, then its keybinding and "recently used" after commas; its
        // visible label may be split into highlighted pieces by the filter.
        const rows = page.locator('.quick-input-list .monaco-list-row');
        const quoted = JSON.stringify(title);
        const row = rows
          .and(page.locator(`[aria-label=${quoted}], [aria-label^=${JSON.stringify(`${title},`)}]`))
          .or(rows.filter({ has: page.getByText(title, { exact: true }) }))
          .first();
        return row.waitFor({ timeout: 2_000 }).then(
          () => row,
          () => undefined,
        );
      },
      { timeoutMs, what: `the palette to list "${title}"` },
    );
  } catch (error) {
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    throw new Error(`The palette does not list "${title}"; rows: ${JSON.stringify(rows)}`, { cause: error });
  }
}

/**
 * Runs the palette row `row` with a click; when the click cannot land (a list that re-renders as
 * keybinding labels and "recently used" arrive is never "stable") and the row is the focused one,
 * with Enter.
 */
export async function chooseRow(page: Page, row: Locator): Promise<void> {
  try {
    await row.click({ timeout: 5_000 });
  } catch (error) {
    const classes = (await row.getAttribute('class', { timeout: 1_000 }).catch(() => '')) ?? '';
    if (!classes.split(/\s+/).includes('focused')) throw error;
    await page.keyboard.press('Enter');
  }
}

/** Runs a command from the palette by its full title as shown there, e.g. `Claude: Show Rate-Limit Details`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await chooseRow(page, await findCommand(page, title));
  // The palette is gone once the widget hides, or once it shows the command's own quick input (a
  // picker or an input box reuses the widget, often before it was ever seen hidden).
  const widget = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
  const input = widget.locator('input.input').first();
  await waitUntil(
    async () =>
      !(await widget.isVisible()) ||
      !(await input.inputValue({ timeout: 1_000 }).catch(() => '>')).startsWith('>'),
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 100, what: `the palette to close after "${title}"` },
  );
}

/** Runs a palette command whose first step is an input box, and types `answers` into the successive boxes. */
export async function runWithInputs(page: Page, title: string, answers: readonly string[]): Promise<void> {
  await chooseRow(page, await findCommand(page, title));
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  let previous: string | undefined;
  for (const answer of answers) {
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await page.waitForTimeout(150); // the next box replaces the previous one in the same widget
    // Typed into the box that is going away, an answer is lost (a label box seen empty under load):
    // wait until the widget shows another prompt with an empty input. Two boxes with the same
    // prompt cannot be told apart; after the wait the answer is typed as before.
    if (previous !== undefined) {
      const before = previous;
      await waitUntil(
        async () =>
          (await widget.innerText({ timeout: 1_000 }).catch(() => before)) !== before &&
          (await input.inputValue({ timeout: 1_000 }).catch(() => 'x')) === '',
        { timeoutMs: UI_TIMEOUT_MS / 3, intervalMs: 100, what: 'the next input box' },
      ).catch(() => undefined);
    }
    await input.fill(answer);
    previous = await widget.innerText();
    await page.keyboard.press('Enter');
  }
}

/** Waits for a modal dialog whose text matches, clicks `button` in it, and returns the dialog's text. */
export async function answerDialog(
  page: Page,
  expected: RegExp,
  button: string,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: expected }).first();
  await dialog.waitFor({ timeout: timeoutMs });
  const text = await dialog.innerText();
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  return text;
}

/** Closes the palette or any other quick input, if one is open. */
export async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  // Escape only reaches the widget while it has focus (a click elsewhere or a toast can take it).
  for (let attempt = 0; attempt < 3 && (await widget.isVisible()); attempt++) {
    await widget
      .locator('input')
      .first()
      .focus()
      .catch(() => undefined);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS / 3 }).catch(() => undefined);
  }
  await widget.waitFor({ state: 'hidden', timeout: 1_000 });
}

/**
 * Texts of all notifications, newest first. Under the smoke-test driver the workbench shows no
 * toasts, so this opens the notification center (and leaves it open); [] when it would not open.
 */
export async function readNotifications(page: Page): Promise<string[]> {
  const center = page.locator('.notifications-center');
  // The bell toggles, and a click that only closes an open quick input opens nothing: retry.
  for (let attempt = 0; attempt < 3 && !(await center.isVisible()); attempt++) {
    await page.locator('[id="status.notifications"]').click();
    await center.waitFor({ timeout: UI_TIMEOUT_MS / 3 }).catch(() => undefined);
  }
  // A center that did not open (a modal closing, focus elsewhere) reads as none yet: the caller's
  // next probe clicks again, instead of the whole wait failing on one lost click (seen on CI).
  if (!(await center.isVisible())) return [];
  return center.locator('.notification-list-item .notification-list-item-message').allInnerTexts();
}

/** Waits until a notification's text matches, and returns that text. */
export async function waitForNotification(
  page: Page,
  expected: string | RegExp,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<string> {
  const matches = (text: string): boolean =>
    typeof expected === 'string' ? text.includes(expected) : expected.test(text);
  const shown = await waitUntil(() => readNotifications(page), {
    isDone: (texts) => texts.some(matches),
    timeoutMs,
    intervalMs: 250,
    what: `a notification matching ${String(expected)}`,
  });
  return shown.find(matches)!;
}

/** Clears every notification (the center's "Clear All Notifications" command). */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/**
 * The content frame of a webview view. Webviews render two iframes deep in a workbench-level
 * overlay; the outer `iframe.webview.ready` alone or a bare `iframe` (the web-worker extension host
 * is one too) is not it. `index` picks among several open webviews.
 */
export function webviewFrame(page: Page, index = 0): FrameLocator {
  return page
    .locator('iframe.webview.ready')
    .nth(index)
    .contentFrame()
    .locator('#active-frame')
    .contentFrame();
}

async function openPalette(page: Page): Promise<void> {
  await closeQuickInput(page);
  const input = page.locator('.quick-input-widget input');
  // A webview that has focus (the chat view after "Claude: Ask…") keeps F1 to itself: each try
  // first hands focus back to the workbench's own document (a string, so no DOM types here).
  let tries = 0;
  await waitUntil(
    async () => {
      // An F1 slower than the last try's wait may have opened it since: another F1 would reset it.
      if (await input.isVisible()) return true;
      await page.evaluate(
        'document.activeElement instanceof HTMLIFrameElement && document.activeElement.blur()',
      );
      // Seen on two lanes: a second ask's palette never opened after the first answer's chat view
      // took focus. From the second try on, a click on the status bar's empty middle (no item
      // there at the checks' 1400 × 900) takes focus out of whatever blur() did not release.
      if (tries++ > 0) {
        const size = page.viewportSize();
        if (size) await page.mouse.click(size.width / 2, size.height - 8).catch(() => undefined);
      }
      await page.keyboard.press('F1');
      return input.waitFor({ timeout: 2_000 }).then(
        () => true,
        () => false,
      );
    },
    { timeoutMs: UI_TIMEOUT_MS, what: 'the command palette to open' },
  );
}
