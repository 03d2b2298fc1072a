import Anthropic from '@anthropic-ai/sdk';
import { ManualClock } from '../../support/manualClock';
import { parseSimulatorConfig, startSimulator, type RunningSimulator } from '../../../sim/simulator';

export const ORG1 = '11111111-1111-4111-8111-111111111111';
export const ORG2 = '22222222-2222-4222-8222-222222222222';
export const KEY1 = 'sk-ant-sim-test-org1-a';
export const KEY2 = 'sk-ant-sim-test-org1-b';
export const KEY_ORG2 = 'sk-ant-sim-test-org2-a';
export const WS_KEY = 'sk-ant-sim-test-org1-ws';
export const WORKSPACE = 'wrkspc_test01';
export const SONNET = 'claude-sonnet-4-6';
/** The tail of every 2026-style rate-limit 429 message. */
export const RATE_LIMIT_TAIL =
  'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. ' +
  'Please reduce the prompt length or the maximum tokens requested, or try again later. ' +
  'You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase.';
/** The ManualClock's default start, 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/** Org 1: 60 RPM (1/s), 60,000 ITPM (1,000/s), 6,000 OTPM (100/s); replies of exactly 10 tokens, instant. */
export function testConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    reply: { minOutputTokens: 10, maxOutputTokens: 10, tokensPerSecond: 0 },
    organizations: [
      {
        id: ORG1,
        keys: [KEY1, KEY2],
        limits: {
          default: { requestsPerMinute: 60, inputTokensPerMinute: 60_000, outputTokensPerMinute: 6_000 },
        },
        countTokensRequestsPerMinute: 2,
        workspaces: [{ id: WORKSPACE, keys: [WS_KEY], limits: { default: { requestsPerMinute: 2 } } }],
      },
      {
        id: ORG2,
        keys: [KEY_ORG2],
        limits: {
          default: { requestsPerMinute: 60, inputTokensPerMinute: 60_000, outputTokensPerMinute: 6_000 },
        },
      },
    ],
    ...overrides,
  };
}

/** Runs `body` against a simulator on a fresh ManualClock (port 0), closing it afterwards. */
export async function withSim(
  rawConfig: Record<string, unknown>,
  body: (sim: RunningSimulator, clock: ManualClock) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock();
  const sim = await startSimulator({ config: parseSimulatorConfig(rawConfig), clock });
  try {
    await body(sim, clock);
  } finally {
    await sim.close();
  }
}

/** A real SDK client without retries, pointed at the simulator. */
export function client(sim: RunningSimulator, apiKey = KEY1, options: { timeout?: number } = {}): Anthropic {
  return new Anthropic({ apiKey, baseURL: sim.url, maxRetries: 0, logLevel: 'off', ...options });
}

/** A user message of exactly `tokens` input tokens under the default 4-chars rule. */
export function userMessage(tokens: number, letter = 'x'): { role: 'user'; content: string } {
  return { role: 'user', content: letter.repeat(tokens * 4) };
}

/** A Messages body for `SONNET`. */
export function messageBody(tokens: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: SONNET, max_tokens: 100, messages: [userMessage(tokens)], ...extra };
}

/** POSTs JSON with `x-api-key` and version 2023-06-01 unless `headers` says otherwise. */
export function post(
  sim: RunningSimulator,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: {
      'x-api-key': KEY1,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The `anthropic-ratelimit-*` headers of a response, without the prefix. */
export function rateLimitHeaders(res: { headers: Headers }): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name.startsWith('anthropic-ratelimit-')) out[name.slice('anthropic-ratelimit-'.length)] = value;
  });
  return out;
}

/** Catches the rejection of `promise` for assertions. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
