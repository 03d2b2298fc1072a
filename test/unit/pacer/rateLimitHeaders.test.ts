import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRateLimitHeaders } from '../../../src/pacer/limits/rateLimitHeaders';
import { parseRetryAfterMs } from '../../../src/pacer/retry/retryAfter';
import { headers } from './scriptedTransport';

const NOW = Date.parse('2025-02-24T22:25:29Z');

describe('parseRateLimitHeaders', () => {
  it('reads the real success headers of the spec (§2.2)', () => {
    const report = parseRateLimitHeaders(
      headers({
        'anthropic-organization-id': '997c7200-d1d1-48e0-9156-c3267149fc5a',
        'anthropic-ratelimit-input-tokens-limit': '80000',
        'anthropic-ratelimit-input-tokens-remaining': '78000',
        'anthropic-ratelimit-input-tokens-reset': '2025-02-24T22:25:32Z',
        'anthropic-ratelimit-output-tokens-limit': '16000',
        'anthropic-ratelimit-output-tokens-remaining': '12000',
        'anthropic-ratelimit-output-tokens-reset': '2025-02-24T22:25:47Z',
        'anthropic-ratelimit-requests-limit': '1000',
        'anthropic-ratelimit-requests-remaining': '999',
        'anthropic-ratelimit-requests-reset': '2025-02-24T22:25:30Z',
        'anthropic-ratelimit-tokens-limit': '96000',
      }),
      NOW,
    );
    assert.equal(report.organizationId, '997c7200-d1d1-48e0-9156-c3267149fc5a');
    assert.deepEqual(report.dimensions.requests, { limit: 1000, remaining: 999, resetAtMs: NOW + 1000 });
    assert.deepEqual(report.dimensions.inputTokens, {
      limit: 80000,
      remaining: 78000,
      resetAtMs: NOW + 3000,
    });
    assert.deepEqual(report.dimensions.outputTokens, {
      limit: 16000,
      remaining: 12000,
      resetAtMs: NOW + 18000,
    });
    assert.equal(report.hasRateLimitHeaders, true);
    assert.equal(report.dimensions.tokens, undefined, 'tokens-* = input + output carries nothing of its own');
  });

  it('keeps tokens-* when it is a limit of its own (a Workspace total), drops it when it only adds input and output', () => {
    const withTotal = (tokensLimit: string) =>
      parseRateLimitHeaders(
        headers({
          'anthropic-ratelimit-input-tokens-limit': '80000',
          'anthropic-ratelimit-input-tokens-remaining': '78000',
          'anthropic-ratelimit-output-tokens-limit': '16000',
          'anthropic-ratelimit-output-tokens-remaining': '12000',
          'anthropic-ratelimit-tokens-limit': tokensLimit,
          'anthropic-ratelimit-tokens-remaining': '20000',
        }),
        NOW,
      ).dimensions.tokens;
    assert.deepEqual(withTotal('25000'), { limit: 25000, remaining: 20000 });
    assert.equal(withTotal('96000'), undefined);
  });

  it('reads retry-after and x-should-retry of a 429', () => {
    const report = parseRateLimitHeaders(headers({ 'retry-after': '7', 'x-should-retry': 'true' }), NOW);
    assert.equal(report.retryAfterMs, 7000);
    assert.equal(report.shouldRetry, true);
    assert.equal(report.hasRateLimitHeaders, false);
  });

  it('drops malformed, negative, NaN, huge and past values instead of propagating them', () => {
    const report = parseRateLimitHeaders(
      headers({
        'anthropic-ratelimit-requests-limit': '-5',
        'anthropic-ratelimit-requests-remaining': 'NaN',
        'anthropic-ratelimit-requests-reset': 'tomorrow',
        'anthropic-ratelimit-input-tokens-limit': '1e400',
        'anthropic-ratelimit-input-tokens-remaining': '99999999999999999',
        'anthropic-ratelimit-input-tokens-reset': '2025-02-24T22:25:00Z',
        'anthropic-ratelimit-output-tokens-limit': '0',
        'anthropic-ratelimit-output-tokens-remaining': '100',
        'anthropic-organization-id': '<script>',
      }),
      NOW,
    );
    assert.equal(report.dimensions.requests, undefined);
    assert.deepEqual(report.dimensions.inputTokens, { resetAtMs: NOW }, 'a past reset means full now');
    assert.deepEqual(report.dimensions.outputTokens, { remaining: 100 });
    assert.equal(report.organizationId, undefined);
  });

  it('clamps remaining to the limit', () => {
    const report = parseRateLimitHeaders(
      headers({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '80' }),
      NOW,
    );
    assert.equal(report.dimensions.requests?.remaining, 50);
  });

  it('reads reset times on the server clock when the date header shows skew', () => {
    // Server clock 10 s ahead: its "reset in 3 s" must stay 3 s on ours.
    const report = parseRateLimitHeaders(
      headers({
        date: new Date(NOW + 10_000).toUTCString(),
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': new Date(NOW + 13_000).toISOString(),
      }),
      NOW,
    );
    assert.equal(report.dimensions.requests?.resetAtMs, NOW + 3000);
    // The server's own time of the reading, for ordering readings shared between clients.
    assert.equal(report.serverDateMs, Math.floor((NOW + 10_000) / 1000) * 1000);
  });

  it('handles no headers and a throwing reader', () => {
    assert.deepEqual(parseRateLimitHeaders(undefined, NOW), { dimensions: {}, hasRateLimitHeaders: false });
    const hostile = {
      get: () => {
        throw new Error('boom');
      },
    };
    assert.equal(parseRateLimitHeaders(hostile, NOW).hasRateLimitHeaders, false);
  });

  it('is total: arbitrary header values never throw and never yield NaN, negative or infinite numbers', () => {
    const names = [
      'retry-after',
      'date',
      'x-should-retry',
      'anthropic-organization-id',
      ...['requests', 'input-tokens', 'output-tokens'].flatMap((d) =>
        ['limit', 'remaining', 'reset'].map((f) => `anthropic-ratelimit-${d}-${f}`),
      ),
    ];
    const value = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.integer().map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('1e9', '-1', 'Infinity', '', ' 5 '),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...names), value),
        fc.integer({ min: 0, max: 4e12 }),
        (raw, now) => {
          const report = parseRateLimitHeaders({ get: (n: string) => raw[n] }, now);
          const numbers = [
            report.retryAfterMs,
            ...Object.values(report.dimensions).flatMap((d) => [d.limit, d.remaining, d.resetAtMs]),
          ];
          for (const n of numbers)
            if (n !== undefined) assert.ok(Number.isFinite(n) && n >= 0, `bad number ${n}`);
          for (const d of Object.values(report.dimensions))
            if (d.resetAtMs !== undefined) assert.ok(d.resetAtMs >= now);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseRetryAfterMs', () => {
  it('reads integer and float seconds and HTTP-dates', () => {
    assert.equal(parseRetryAfterMs('3', NOW), 3000);
    assert.equal(parseRetryAfterMs('1.5', NOW), 1500);
    assert.equal(parseRetryAfterMs(new Date(NOW + 20_000).toUTCString(), NOW), 20_000);
  });

  it('ignores absurd values: negative, 1e9, a past date, garbage, overlong', () => {
    for (const v of [
      '-1',
      '1e9',
      '1000000000',
      new Date(NOW - 5000).toUTCString(),
      'soon',
      '',
      'NaN',
      '9'.repeat(80),
      undefined,
      null,
    ]) {
      assert.equal(parseRetryAfterMs(v, NOW), undefined, String(v));
    }
  });

  it('accepts zero as "now"', () => {
    assert.equal(parseRetryAfterMs('0', NOW), 0);
  });
});
