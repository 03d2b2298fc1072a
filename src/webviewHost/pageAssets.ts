import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PageShellOptions } from './pageShell';

/**
 * What the host fills into a page's shell for `webview`: its CSP source, a fresh nonce (from
 * crypto.randomBytes, never Math.random), `<name>.js` and `<name>.css` from `assets`, the editor's language.
 */
export function pageAssets(
  webview: vscode.Webview,
  assets: vscode.Uri,
  name: string,
): Omit<PageShellOptions, 'title' | 'bodyHtml'> {
  return {
    cspSource: webview.cspSource,
    nonce: randomBytes(18).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, `${name}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, `${name}.css`)).toString(),
    language: vscode.env.language,
  };
}
