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
  SETTINGS_SECTION,
  type PacerSettings,
} from '../../../src/settings/model/settings';

const fromObject = (raw: Record<string, unknown>) => normalizeSettings((k) => raw[k]);

/** A setting as package.json declares it. */
interface Declared {
  readonly type: string | readonly string[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
}

function declaredSettings(): Record<string, Declared> {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    contributes: {
      configuration:
        { properties: Record<string, Declared> } | Array<{ properties: Record<string, Declared> }>;
    };
  };
  const sections = Array.isArray(manifest.contributes.configuration)
    ? manifest.contributes.configuration
    : [manifest.contributes.configuration];
  return Object.fromEntries(sections.flatMap((s) => Object.entries(s.properties)));
}

const DECLARED = declaredSettings();
const KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof PacerSettings>;
/** Values of every JSON type but the setting's own, as a hand-edited settings.json can hold. */
const WRONG_TYPES: Readonly<Record<string, readonly unknown[]>> = {
  string: [42, true, ['a'], { a: 1 }],
  integer: [true, 'lots', ['3'], { n: 3 }, Number.NaN, Number.POSITIVE_INFINITY],
  boolean: ['true', 1, ['x'], { on: true }],
  object: [42, 'on', true, ['typescript']],
  array: [42, 'npm test', true, { npm: true }],
};

/** A valid value of string settings whose shape is checked (the others take a model id). */
const STRING_EXAMPLES: Partial<Record<keyof PacerSettings, string>> = {
  'coordination.redisUrl': 'redis://127.0.0.1:6379',
};

describe('settings', () => {
  it('package.json declares exactly the settings in code, with the same defaults', () => {
    const declared = Object.fromEntries(Object.entries(DECLARED).map(([id, p]) => [id, p.default]));
    assert.deepEqual(declared, SETTING_DEFAULTS);
  });

  for (const key of KEYS) {
    const declared = DECLARED[`${SETTINGS_SECTION}.${key}`]!;
    const type = [declared.type].flat().find((t) => t !== 'null')!;
    const fallback = DEFAULT_SETTINGS[key];
    it(`${key}: keeps a valid value, falls back on a wrong type, stays within package.json's range`, () => {
      for (const wrong of WRONG_TYPES[type]!)
        assert.deepEqual(fromObject({ [key]: wrong })[key], fallback, `${key} = ${JSON.stringify(wrong)}`);
      if (declared.enum) {
        for (const value of declared.enum) assert.equal(fromObject({ [key]: value })[key], value);
        assert.equal(fromObject({ [key]: 'not-an-option' })[key], fallback);
      } else if (type === 'integer') {
        const min = declared.minimum!;
        const max = declared.maximum ?? 1e12;
        assert.equal(fromObject({ [key]: min - 1 })[key], min, `${key} below its minimum`);
        assert.equal(fromObject({ [key]: max + 1 })[key], max, `${key} above its maximum`);
        assert.equal(fromObject({ [key]: min + 0.4 })[key], min, `${key} rounds to an integer`);
        assert.equal(fromObject({ [key]: String(min + 1) })[key], min + 1, `${key} from a numeric string`);
      } else if (type === 'boolean') {
        assert.equal(fromObject({ [key]: !fallback })[key], !fallback);
      } else if (type === 'array') {
        assert.deepEqual(fromObject({ [key]: [' npm test ', 'git status'] })[key], [
          'npm test',
          'git status',
        ]);
        assert.deepEqual(
          fromObject({ [key]: ['', '  ', 3, null, 'x'.repeat(201), 'make'] })[key],
          ['make'],
          'empty, non-string and over-long entries dropped',
        );
      } else if (type === 'object') {
        const valid = { '*': false, typescript: true };
        assert.deepEqual(fromObject({ [key]: valid })[key], valid);
        assert.deepEqual(
          fromObject({ [key]: { python: 'yes', 'a b': true } })[key],
          {},
          'non-boolean and odd ids dropped',
        );
      } else {
        const valid = STRING_EXAMPLES[key] ?? 'claude-haiku-4-5';
        assert.equal(fromObject({ [key]: ` ${valid} ` })[key], valid, 'trimmed');
      }
    });
  }

  it('keeps at most 100 pre-approved command prefixes', () => {
    const many = Array.from({ length: 150 }, (_, i) => `cmd${i}`);
    assert.deepEqual(
      fromObject({ 'agent.preapprovedCommands': many })['agent.preapprovedCommands'],
      many.slice(0, 100),
    );
  });

  it('an empty configuration yields the defaults', () => {
    assert.deepEqual(fromObject({}), DEFAULT_SETTINGS);
  });

  it('the optional limits are empty (null) unless set, and never below 1', () => {
    for (const key of [
      'limits.requestsPerMinute',
      'limits.inputTokensPerMinute',
      'limits.outputTokensPerMinute',
    ] as const) {
      for (const empty of [undefined, null, '']) assert.equal(fromObject({ [key]: empty })[key], null);
      assert.equal(fromObject({ [key]: 0 })[key], 1);
      assert.equal(fromObject({ [key]: 12_345 })[key], 12_345);
    }
  });

  it('a model or fallback model that is not a model id falls back; an over-long base URL falls back to empty', () => {
    const s = fromObject({
      model: 'x y<script>',
      fallbackModel: 'a b',
      baseUrl: `https://${'x'.repeat(2_000)}`,
    });
    assert.equal(s.model, DEFAULT_SETTINGS.model);
    assert.equal(s.fallbackModel, '');
    assert.equal(s.baseUrl, '');
    assert.equal(fromObject({ model: 'm'.repeat(101) }).model, DEFAULT_SETTINGS.model);
  });

  it('shares the budget across windows unless the setting is exactly false', () => {
    const share = (value: unknown): boolean =>
      fromObject({ 'coordination.shareAcrossWindows': value })['coordination.shareAcrossWindows'];
    assert.equal(share(false), false);
    assert.equal(share(true), true);
    assert.equal(share(undefined), true);
    assert.equal(share('false'), true);
  });

  it('takes a Redis URL only with a redis or rediss scheme, a host and no password', () => {
    const url = (value: unknown): string =>
      fromObject({ 'coordination.redisUrl': value })['coordination.redisUrl'];
    assert.equal(url('rediss://cache.example:6380/2'), 'rediss://cache.example:6380/2');
    assert.equal(url('redis://team@cache.example'), 'redis://team@cache.example');
    for (const bad of [
      'redis://:hunter2@cache.example',
      'http://cache.example',
      'cache.example:6379',
      'redis://',
    ])
      assert.equal(url(bad), '', bad);
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

  it('is total: any raw values give settings of the declared types, within the declared ranges', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), fc.anything()), (raw) => {
        const s = fromObject(raw);
        for (const key of KEYS) {
          const declared = DECLARED[`${SETTINGS_SECTION}.${key}`]!;
          const value = s[key];
          const types = [declared.type].flat();
          if (value === null) assert.ok(types.includes('null'), `${key} is null`);
          else if (declared.enum)
            assert.ok(declared.enum.includes(value as string), `${key} = ${JSON.stringify(value)}`);
          else if (types.includes('integer')) {
            assert.ok(Number.isInteger(value), `${key} = ${JSON.stringify(value)}`);
            assert.ok(
              (value as number) >= declared.minimum! && (value as number) <= (declared.maximum ?? 1e12),
              key,
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
