import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { contributedSettingDefaults, extensionUnderTest } from './support/extension';
import { note } from './support/reportFile';

/**
 * src/core/settings.ts, bundled beside this file by the suite's build when it exists. It is loaded
 * at run time rather than imported so the suite builds and type-checks before that file lands.
 */
const CORE_SETTINGS_BUNDLE = path.join(__dirname, 'core-settings.js');

suite('Settings', () => {
  test('package.json defaults equal SETTING_DEFAULTS in src/core/settings.ts', function () {
    if (!fs.existsSync(CORE_SETTINGS_BUNDLE)) {
      note('skipped: src/core/settings.ts does not exist yet');
      this.skip();
    }
    const { SETTING_DEFAULTS } = createRequire(__filename)(CORE_SETTINGS_BUNDLE) as {
      SETTING_DEFAULTS: Record<string, unknown>;
    };
    assert.deepEqual(contributedSettingDefaults(extensionUnderTest()), SETTING_DEFAULTS);
  });

  test('the configuration service reports the package.json defaults', () => {
    const defaults = contributedSettingDefaults(extensionUnderTest());
    const configuration = vscode.workspace.getConfiguration();
    for (const [id, expected] of Object.entries(defaults)) {
      assert.deepEqual(configuration.inspect(id)?.defaultValue, expected, id);
    }
    note(`${Object.keys(defaults).length} contributed setting(s) checked`);
  });
});
