import { escapedHtml, pageShell, type PageShellOptions } from '../webviewHost/pageShell';
import type { DashboardStrings } from './model/dashboardStrings';

/** What the dashboard's HTML needs from the host; no VS Code types so it can be unit-tested. */
export interface DashboardHtmlOptions extends Omit<PageShellOptions, 'title' | 'bodyHtml'> {
  readonly strings: DashboardStrings;
}

/** The usage dashboard page (its CSP: {@link pageShell}); the strings table rides as JSON in `#app`'s `data-strings`. */
export function dashboardHtml(options: DashboardHtmlOptions): string {
  const s = options.strings;
  return pageShell({
    ...options,
    title: s.pageTitle,
    bodyHtml: `<div id="app" class="dashboard" data-strings="${escapedHtml(JSON.stringify(s))}">
  <header class="dashboard-header">
    <h1>${escapedHtml(s.pageTitle)}</h1>
    <span class="actions">
      <button id="copy-markdown" type="button" class="secondary">${escapedHtml(s.copyMarkdown)}</button>
      <button id="open-markdown" type="button" class="secondary">${escapedHtml(s.openMarkdown)}</button>
    </span>
  </header>
  <p id="summary" class="summary" role="status" aria-live="polite"></p>
  <main id="sections"></main>
</div>`,
  });
}
