import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  configuredLimits,
  DEFAULT_SETTINGS,
  normalizeSettings,
  schedulerOptionsFrom,
  SETTING_DEFAULTS,
  type PacerSettings,
} from '../../../src/settings/model/settings';

const fromObject = (raw: Record<string, unknown>) => normalizeSettings((k) => raw[k]);

describe('settings', () => {
  it('package.json declares exactly the settings in code, with the same defaults', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      contributes: {
        configuration:
          | { properties: Record<string, { default?: unknown }> }
          | Array<{ properties: Record<string, { default?: unknown }> }>;
      };
    };
    const sections = Array.isArray(manifest.contributes.configuration)
      ? manifest.contributes.configuration
      : [manifest.contributes.configuration];
    const declared = Object.fromEntries(
      sections.flatMap((s) => Object.entries(s.properties)).map(([id, p]) => [id, p.default]),
    );
    assert.deepEqual(declared, SETTING_DEFAULTS);
  });

  it('an empty configuration yields the defaults', () => {
    assert.deepEqual(fromObject({}), DEFAULT_SETTINGS);
  });

  it('clamps numbers, rejects wrong types and unknown enum values', () => {
    const s = fromObject({
      maxRequestsInFlight: 1e9,
      headroomPercent: -4,
      'priority.chat': 'urgent',
      model: 'x y<script>',
      'retry.maxAttempts': '3',
      'limits.requestsPerMinute': 'abc',
      otpmRegime: 'legacy',
    });
    assert.equal(s.maxRequestsInFlight, 64);
    assert.equal(s.headroomPercent, 0);
    assert.equal(s['priority.chat'], 'interactive');
    assert.equal(s.model, DEFAULT_SETTINGS.model);
    assert.equal(s['retry.maxAttempts'], 3);
    assert.equal(s['limits.requestsPerMinute'], null);
    assert.equal(s.otpmRegime, 'legacy');
  });

  it('explicit limits override the tier preset per dimension', () => {
    assert.deepEqual(
      configuredLimits(fromObject({ 'limits.tier': 'tier1', 'limits.inputTokensPerMinute': 12_345 })),
      { requests: 50, inputTokens: 12_345, outputTokens: 8000 },
    );
    assert.deepEqual(configuredLimits(fromObject({})), {}, 'learn from headers');
  });

  it('maps to scheduler options', () => {
    const o = schedulerOptionsFrom(
      fromObject({ headroomPercent: 20, backgroundBudgetPercent: 30, fallbackModel: 'claude-haiku-4-5' }),
    );
    assert.equal(o.headroomShare, 0.2);
    assert.equal(o.backgroundBudgetShare, 0.3);
    assert.equal(o.fallbackModel, 'claude-haiku-4-5');
  });

  it('is total: any raw values give valid settings', () => {
    const keys = Object.keys(DEFAULT_SETTINGS) as Array<keyof PacerSettings>;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.anything()), (raw) => {
        const s = fromObject(raw);
        for (const k of keys) assert.equal(typeof s[k] === 'object' ? s[k] === null : true, true);
        for (const v of Object.values(s)) if (typeof v === 'number') assert.ok(Number.isFinite(v) && v >= 0);
        assert.ok(s.maxRequestsInFlight >= 1 && s['retry.maxAttempts'] >= 1);
      }),
      { numRuns: 300 },
    );
  });
});
