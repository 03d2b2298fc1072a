import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dashboardHtml } from '../../../src/usage/dashboardHtml';
import {
  ENGLISH_DASHBOARD_STRINGS,
  type DashboardStringKey,
} from '../../../src/usage/model/dashboardStrings';

describe('usage dashboard page', () => {
  it('has every dashboard string in the l10n bundle with its English text, so the host translates each', () => {
    const bundle = JSON.parse(readFileSync('l10n/bundle.l10n.json', 'utf8')) as Record<string, string>;
    const missing = (Object.keys(ENGLISH_DASHBOARD_STRINGS) as DashboardStringKey[]).filter(
      (key) => bundle[ENGLISH_DASHBOARD_STRINGS[key]] !== ENGLISH_DASHBOARD_STRINGS[key],
    );
    assert.deepEqual(missing, [], 'src/usage/dashboardPageStrings.ts must use these English texts');
  });

  it('allows only its nonce-tagged script and the webview’s own styles, and escapes what it embeds', () => {
    const html = dashboardHtml({
      cspSource: 'vscode-resource:',
      nonce: 'abc123+/=',
      scriptUri: 'vscode-resource:/dashboard.js',
      styleUri: 'vscode-resource:/dashboard.css',
      strings: { ...ENGLISH_DASHBOARD_STRINGS, pageTitle: '<img src=x onerror=alert(1)>' },
      language: 'en"><script>',
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123\+\/='/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.ok(!html.includes('<img'), 'the title is escaped');
    assert.ok(html.includes('lang="en&quot;&gt;&lt;script&gt;"'));
  });
});
