import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoConfig, parseSimulatorConfig } from '../../../sim/simulator';
import { parseJsonc } from '../../../sim/jsonc';
import { readFileSync } from 'node:fs';
import { ORG1, testConfig } from './harness';

function errorOf(raw: unknown): string {
  try {
    parseSimulatorConfig(raw);
  } catch (error) {
    assert.ok(error instanceof Error);
    return error.message;
  }
  assert.fail('expected the config to be rejected');
}

const org = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: ORG1,
  keys: ['sk-ant-sim-a'],
  ...extra,
});

void describe('parseSimulatorConfig', () => {
  void it('fills documented defaults', () => {
    const config = parseSimulatorConfig({ organizations: [org()] });
    assert.equal(config.seed, 1);
    assert.equal(config.maxBodyBytes, 32 * 1024 * 1024);
    assert.equal(config.otpmRegime, 'realtime');
    assert.equal(config.burstWindowSec, 60);
    assert.deepEqual(config.limiterWindowSec, {});
    assert.deepEqual(config.realism, {
      omitOrganizationId: false,
      rateLimitWording: 'named',
      omitRetryAfter: false,
    });
    assert.deepEqual(config.tokenizer, { rule: 'chars', charsPerToken: 4 });
    assert.equal(config.cacheTtlSec, 300);
    assert.deepEqual(config.overloaded, { shouldRetry: true, retryAfterSec: null });
    assert.deepEqual(config.reply, {
      minOutputTokens: 20,
      maxOutputTokens: 200,
      tokensPerSecond: 0,
      pingIntervalSec: 10,
      style: 'words',
    });
    assert.equal(config.organizations[0]!.countTokensRequestsPerMinute, 5000);
    assert.deepEqual(
      config.modelClasses.map((c) => c.id),
      ['opus-4', 'sonnet-4', 'opus-5', 'sonnet-5', 'haiku-4-5', 'haiku-3-5', 'fable-5'],
    );
    assert.equal(config.modelClasses.find((c) => c.id === 'haiku-3-5')!.countsCacheReads, true);
  });

  void it('names the offending field path', () => {
    const orgs = (second: Record<string, unknown>): unknown => ({
      organizations: [org(), { ...second, id: '22222222-2222-4222-8222-222222222222' }],
    });
    assert.equal(
      errorOf(orgs({ keys: ['sk-ant-sim-b'], limits: { default: { inputTokensPerMinute: -5 } } })),
      'organizations[1].limits.default.inputTokensPerMinute must be a positive number',
    );
    assert.equal(
      errorOf({ organizations: [org({ id: 'not-a-uuid' })] }),
      'organizations[0].id must be a UUID like "11111111-2222-4333-8444-555555555555"',
    );
    assert.equal(
      errorOf({ organizations: [org({ keys: ['sk-ant-api03-real-looking'] })] }),
      'organizations[0].keys[0] must be a key like "sk-ant-sim-<letters, digits, - or _>"',
    );
    assert.equal(
      errorOf(orgs({ keys: ['sk-ant-sim-a'] })),
      'organizations[1].keys[0] repeats a key already configured',
    );
    assert.equal(
      errorOf({ organizations: [org()], otpmRegime: 'fast' }),
      'otpmRegime must be one of "realtime", "legacy"',
    );
    assert.equal(
      errorOf({ organizations: [org()], burstWindowSec: 0 }),
      'burstWindowSec must be a number > 0 and ≤ 60',
    );
    assert.equal(
      errorOf({ organizations: [org()], limiterWindowSec: { requests: 61 } }),
      'limiterWindowSec.requests must be a number > 0 and ≤ 60',
    );
    assert.equal(
      errorOf({ organizations: [org()], limiterWindowSec: { rpm: 1 } }),
      'limiterWindowSec.rpm is not a known setting',
    );
    assert.equal(
      errorOf({ organizations: [org()], realism: { rateLimitWording: 'polite' } }),
      'realism.rateLimitWording must be one of "named", "rate_limited", "error", "request_tokens"',
    );
    assert.equal(
      errorOf({ organizations: [org({ limits: { default: { totalTokensPerMinute: 5 } } })] }),
      'organizations[0].limits.default.totalTokensPerMinute is not a known setting',
    );
    assert.equal(
      errorOf({
        organizations: [
          org({ workspaces: [{ id: 'w', keys: [], limits: { default: { totalTokensPerMinute: 0 } } }] }),
        ],
      }),
      'organizations[0].workspaces[0].limits.default.totalTokensPerMinute must be a positive number',
    );
    assert.equal(
      errorOf({ organizations: [org()], reply: { minOutputTokens: 5, maxOutputTokens: 2 } }),
      'reply.maxOutputTokens must be ≥ reply.minOutputTokens',
    );
    assert.equal(
      errorOf({ organizations: [org()], faults: [{ kind: 'stream_error', afterDeltas: 1.5 }] }),
      'faults[0].afterDeltas must be a non-negative integer',
    );
    assert.equal(
      errorOf({ organizations: [org()], faults: [{ kind: 'meteor' }] }).startsWith(
        'faults[0].kind must be one of "overloaded", "api_error"',
      ),
      true,
    );
    assert.equal(
      errorOf({ organizations: [org()], faults: [{ kind: 'key_revoked' }] }),
      'faults[0].key is required for kind "key_revoked"',
    );
    assert.equal(
      errorOf({ organizations: [org()], faults: [{ kind: 'overloaded', delayMs: 5 }] }),
      'faults[0].delayMs is not a known setting',
    );
    assert.equal(
      errorOf({
        organizations: [org()],
        competitors: [{ organization: ORG1, modelClass: 'sonnet-4', share: { input: 1 } }],
      }),
      'competitors[0].share.input must be a number ≥ 0 and < 1',
    );
    assert.equal(
      errorOf({ organizations: [org({ limtis: {} })] }),
      'organizations[0].limtis is not a known setting',
    );
    assert.equal(errorOf({ organizations: [] }), 'organizations must list at least one organization');
    assert.equal(errorOf([]), 'config must be an object');
  });

  void it('accepts the shared test config and the demo config', () => {
    assert.equal(parseSimulatorConfig(testConfig()).organizations[0]!.workspaces[0]!.id, 'wrkspc_test01');
    const demo = demoConfig();
    assert.deepEqual(
      demo.organizations.flatMap((o) => o.keys),
      ['sk-ant-sim-demo-key-o1k1', 'sk-ant-sim-demo-key-o1k2', 'sk-ant-sim-demo-key-o2k1'],
    );
    assert.deepEqual(demo.organizations[0]!.limits.default, {
      requestsPerMinute: 6,
      inputTokensPerMinute: 20_000,
      outputTokensPerMinute: 3_000,
    });
    assert.equal(demo.reply.tokensPerSecond, 40);
  });

  void it('accepts the commented example config file', () => {
    const raw = parseJsonc(readFileSync('sim/example-config.jsonc', 'utf8'));
    const config = parseSimulatorConfig(raw);
    assert.ok(config.organizations.length >= 2);
    assert.ok(config.faults.length >= 3);
  });
});

void describe('parseJsonc', () => {
  void it('drops comments and trailing commas but keeps them inside strings', () => {
    const text = '{\n  // a comment\n  "a": "x // not a comment, ]",\n  /* block */ "b": [1, 2,],\n}';
    assert.deepEqual(parseJsonc(text), { a: 'x // not a comment, ]', b: [1, 2] });
  });

  void it('keeps escaped quotes inside strings', () => {
    assert.deepEqual(parseJsonc('{"a": "say \\"hi\\" // still text"}'), { a: 'say "hi" // still text' });
  });
});
