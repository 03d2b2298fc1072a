import type { SimulatorConfig } from './config';
import { parseSimulatorConfig } from './parseConfig';

/** Ids of the demo organizations, for scripts that want to assert on them. */
export const demoOrganizationIds = [
  '5a1d0c3e-0001-4000-8000-00000000d001',
  '5a1d0c3e-0002-4000-8000-00000000d002',
] as const;

/** The demo keys, by organization; their last four characters (o1k1, o1k2, o2k1) tell them apart. */
export const demoKeys = [
  ['sk-ant-sim-demo-key-o1k1', 'sk-ant-sim-demo-key-o1k2'],
  ['sk-ant-sim-demo-key-o2k1'],
] as const;

/**
 * Two organizations with limits tight enough that a minute of normal use waits (`npm start`): per
 * organization 6 requests per minute enforced over 20 s windows (2 at once, then one every 10 s)
 * and 3,000 output tokens per minute; shaped replies of 120–300 tokens streamed at 40 tokens/s.
 */
export function demoConfig(): SimulatorConfig {
  const tight = { requestsPerMinute: 6, inputTokensPerMinute: 20_000, outputTokensPerMinute: 3_000 };
  return parseSimulatorConfig({
    seed: 42,
    limiterWindowSec: { requests: 20 },
    reply: { minOutputTokens: 120, maxOutputTokens: 300, tokensPerSecond: 40, style: 'shaped' },
    organizations: demoOrganizationIds.map((id, i) => ({
      id,
      keys: demoKeys[i],
      limits: { default: tight },
      countTokensRequestsPerMinute: 100,
    })),
  });
}
