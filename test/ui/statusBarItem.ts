// Status-bar reading for UI checks: runs in the page, so this file needs the DOM types (test/ui/tsconfig.json).
import { type Locator, type Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './workbench';

/** What a status-bar item shows. */
export interface StatusBarItemState {
  /** Visible text, trimmed (an icon renders as an element, not text). */
  readonly text: string;
  /** Codicon names of its icons, e.g. `pulse` for `$(pulse)`. */
  readonly icons: readonly string[];
  /** Classes of the item, e.g. `warning-kind has-background-color` for a warning background. */
  readonly classes: readonly string[];
  /** Computed CSS background colour of the item. */
  readonly background: string;
  /** Hover text as the `aria-label` of its link. */
  readonly ariaLabel: string;
}

/** The element id of a status-bar item: `<publisher>.<name>.<item id>`. */
export function statusBarItemId(extensionId: string, itemId: string): string {
  return `${extensionId}.${itemId}`;
}

/** Locator for a status-bar item by its element id (see {@link statusBarItemId}). */
export function statusBarItem(page: Page, elementId: string): Locator {
  return page.locator(`[id="${elementId}"]`);
}

/** Reads a status-bar item's text, icons, classes and background. */
export async function readStatusBarItem(
  page: Page,
  elementId: string,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<StatusBarItemState> {
  const item = statusBarItem(page, elementId);
  await item.waitFor({ timeout: timeoutMs });
  return item.evaluate((element) => {
    const icons = Array.from(element.querySelectorAll('.codicon')).flatMap((icon) =>
      Array.from(icon.classList)
        .filter((name) => name.startsWith('codicon-'))
        .map((name) => name.slice('codicon-'.length)),
    );
    return {
      text: (element as HTMLElement).innerText.trim(),
      icons,
      classes: Array.from(element.classList),
      background: getComputedStyle(element).backgroundColor,
      ariaLabel: element.querySelector('a')?.getAttribute('aria-label') ?? '',
    };
  });
}
