import type { SimulatorConfig } from './config';
import { parseSimulatorConfig } from './parseConfig';

/** Ids of the demo organizations, for scripts that want to assert on them. */
export const demoOrganizationIds = [
  '5a1d0c3e-0001-4000-8000-00000000d001',
  '5a1d0c3e-0002-4000-8000-00000000d002',
] as const;

/** Two organizations with tight limits and streaming at ~40 tokens/s, so pacing and countdowns are visible (`npm start`). */
export function demoConfig(): SimulatorConfig {
  const tight = { requestsPerMinute: 20, inputTokensPerMinute: 20_000, outputTokensPerMinute: 4_000 };
  return parseSimulatorConfig({
    seed: 42,
    reply: { minOutputTokens: 40, maxOutputTokens: 400, tokensPerSecond: 40 },
    organizations: [
      {
        id: demoOrganizationIds[0],
        keys: ['sk-ant-sim-demo-org1-key1', 'sk-ant-sim-demo-org1-key2'],
        limits: { default: tight },
        countTokensRequestsPerMinute: 100,
      },
      {
        id: demoOrganizationIds[1],
        keys: ['sk-ant-sim-demo-org2-key1'],
        limits: { default: tight },
        countTokensRequestsPerMinute: 100,
      },
    ],
  });
}
