import type { DashboardStrings } from './model/dashboardStrings';

/** What the dashboard's HTML needs from the host; no VS Code types so it can be unit-tested. */
export interface DashboardHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh nonce (base64 from crypto.randomBytes) for the one script tag. */
  readonly nonce: string;
  /** `asWebviewUri` of media/usage/dist/dashboard.js and dashboard.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly strings: DashboardStrings;
  /** `vscode.env.language`, for the page's `lang`. */
  readonly language: string;
}

function escaped(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The usage dashboard page. CSP: nothing by default; styles only from the extension's media, the
 * one script only by nonce; no remote anything. uPlot sizes its canvas through the CSSOM
 * (`element.style`), which `style-src` does not govern, so no `'unsafe-inline'` is needed.
 */
export function dashboardHtml(options: DashboardHtmlOptions): string {
  const s = options.strings;
  const csp = [
    "default-src 'none'",
    `style-src ${options.cspSource}`,
    `script-src 'nonce-${options.nonce}'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escaped(options.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escaped(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escaped(options.styleUri)}">
<title>${escaped(s.pageTitle)}</title>
</head>
<body>
<div id="app" class="dashboard" data-strings="${escaped(JSON.stringify(s))}">
  <header class="dashboard-header">
    <h1>${escaped(s.pageTitle)}</h1>
    <span class="actions">
      <button id="copy-markdown" type="button" class="secondary">${escaped(s.copyMarkdown)}</button>
      <button id="open-markdown" type="button" class="secondary">${escaped(s.openMarkdown)}</button>
    </span>
  </header>
  <p id="summary" class="summary" role="status" aria-live="polite"></p>
  <main id="sections"></main>
</div>
<script nonce="${escaped(options.nonce)}" src="${escaped(options.scriptUri)}"></script>
</body>
</html>`;
}
