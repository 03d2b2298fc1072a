import * as vscode from 'vscode';
import type { ClaudePacerApi } from '../../../src/extension';
import { parseSimulatorConfig, startSimulator, type RunningSimulator } from '../../../sim/simulator';
import { activateExtension } from './extension';

/** The extension's API (its service and proposal store), activating it first. */
export async function pacerApi(): Promise<ClaudePacerApi> {
  const { extension } = await activateExtension();
  return extension.exports as ClaudePacerApi;
}

/** Organization id the test simulator assigns to its keys. */
export const TEST_ORG = '7e57c0de-0000-4000-8000-000000000001';

/** Starts a simulator inside the extension host, points the extension at it, stores its keys. */
export async function withSimulator(
  overrides: Record<string, unknown>,
  keys: readonly string[] = ['sk-ant-sim-itest-key-aaaa1111'],
): Promise<{ sim: RunningSimulator; api: ClaudePacerApi; dispose: () => Promise<void> }> {
  const api = await pacerApi();
  const sim = await startSimulator({
    config: parseSimulatorConfig({
      seed: 7,
      reply: { minOutputTokens: 5, maxOutputTokens: 12, tokensPerSecond: 0 },
      organizations: [
        {
          id: TEST_ORG,
          keys,
          limits: {
            default: {
              requestsPerMinute: 1000,
              inputTokensPerMinute: 1_000_000,
              outputTokensPerMinute: 400_000,
            },
          },
        },
      ],
      ...overrides,
    }),
    port: 0,
  });
  const config = vscode.workspace.getConfiguration('claudePacer');
  await config.update('baseUrl', sim.url, vscode.ConfigurationTarget.Global);
  await api.service.keys.removeAll();
  for (const [i, secret] of keys.entries()) await api.service.keys.add(secret, `itest ${i + 1}`);
  return {
    sim,
    api,
    dispose: async () => {
      await api.service.keys.removeAll();
      for (const key of ['baseUrl', 'maxRequestsInFlight', 'limits.requestsPerMinute', 'maxWaitSeconds']) {
        await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      }
      api.service.scheduler.cancelQueued();
      await sim.close();
    },
  };
}
