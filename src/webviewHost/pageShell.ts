/** The parts of a webview page the host fills in; no VS Code types, so pages can be unit-tested. */
export interface PageShellOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh nonce (base64 from crypto.randomBytes) for the one script tag. */
  readonly nonce: string;
  /** `asWebviewUri` of the page's script and stylesheet. */
  readonly scriptUri: string;
  readonly styleUri: string;
  /** `vscode.env.language`, e.g. "en" or "de", for the page's `lang`. */
  readonly language: string;
  readonly title: string;
  /** The markup inside `<body>` before the script, its values already passed through {@link escapedHtml}. */
  readonly bodyHtml: string;
}

/** `value` safe inside an HTML attribute or element text. */
export function escapedHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A webview page of the extension (the chat, the usage dashboard). CSP: nothing by default; styles
 * only from the extension's media, the one script only by nonce; no remote images, fonts, frames or
 * connections. (uPlot sizes its canvas through the CSSOM, which `style-src` does not govern, so no
 * `'unsafe-inline'` is needed.)
 */
export function pageShell(options: PageShellOptions): string {
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
<html lang="${escapedHtml(options.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapedHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapedHtml(options.styleUri)}">
<title>${escapedHtml(options.title)}</title>
</head>
<body>
${options.bodyHtml}
<script nonce="${escapedHtml(options.nonce)}" src="${escapedHtml(options.scriptUri)}"></script>
</body>
</html>`;
}
