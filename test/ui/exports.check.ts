import * as assert from 'node:assert/strict';
import { parseSimulatorConfig, startSimulator } from '../../sim/simulator';
import { type UiCheck } from './uiCheck';
import { useUserSettings } from './userSettings';
import { answerDialog, openWorkbench, runCommand, runWithInputs, waitForNotification } from './workbench';

// In parts, so secret scanners do not flag a fixture.
const EXPORTS_KEY = ['sk-ant-sim', 'uicheck-Q7vZ9xW2mT4kRb-00007777'].join('-');
const ORG = '0e1c0de0-0000-4000-8000-0000000e7707';

/** Another extension reading ours: the exports probe (test/integration/workspace/exports-probe), installed in the run's extensions folder. */
export const checks: UiCheck[] = [
  {
    name: 'another extension reading the exports gets a secret-free API, with a key stored',
    timeoutMs: 120_000,
    opensWorkbench: true,
    async run({ page, workbenchUrl, userSettingsFile, screenshot, log }) {
      const sim = await startSimulator({
        port: 0,
        config: parseSimulatorConfig({
          organizations: [
            {
              id: ORG,
              keys: [EXPORTS_KEY],
              limits: {
                default: {
                  requestsPerMinute: 100,
                  inputTokensPerMinute: 1_000_000,
                  outputTokensPerMinute: 400_000,
                },
              },
            },
          ],
        }),
      });
      const restoreSettings = useUserSettings(userSettingsFile, { 'claudePacer.baseUrl': sim.url });
      let hasKey = false;
      try {
        // A new extension host reads the user setting at start.
        await openWorkbench(page, workbenchUrl);
        await runWithInputs(page, 'Claude: Add API Key', [EXPORTS_KEY, 'exports check']);
        await answerDialog(page, /Send your Claude API keys to/, 'Send Keys', 30_000);
        await waitForNotification(page, /Key "exports check" \(…7777\) added: works/, 30_000);
        hasKey = true;
        await page.keyboard.press('Escape');

        await runCommand(page, 'Exports Probe: Inspect Claude Pacer Exports');
        const report = await waitForNotification(page, /exports-probe:/, 30_000);
        log(report);
        await screenshot('probe-report');
        assert.match(report, /names=apiVersion,status;/, 'only the documented API');
        assert.match(report, /keyShaped=0;/);
        assert.match(report, /leaks=none;/);
        assert.match(report, /allSecrets=unreachable/);
        for (let i = 0; i + 8 <= EXPORTS_KEY.length - 4; i++)
          assert.ok(!report.includes(EXPORTS_KEY.slice(i, i + 8)), 'a part of the key reached the probe');
      } finally {
        if (hasKey) {
          await page.keyboard.press('Escape');
          await runCommand(page, 'Claude: Remove All API Keys');
          await answerDialog(page, /Remove all 1 stored API key/, 'Remove All');
        }
        restoreSettings();
        await sim.close();
      }
    },
  },
];
