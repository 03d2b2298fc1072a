import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SETTING_DEFAULTS } from '../../src/settings/model/settings';
import { contributedSettingDefaults, extensionUnderTest } from './support/extension';
import { note } from './support/reportFile';

suite('Settings', () => {
  test('package.json defaults equal SETTING_DEFAULTS in src/settings/model/settings.ts', () => {
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
