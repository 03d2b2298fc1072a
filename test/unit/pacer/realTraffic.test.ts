// Real-traffic rules (API notes §10) as tables: headers and error bodies seen in 2024–2026 traffic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestCost } from '../../../src/pacer/limits/cost';
import type { Dimension } from '../../../src/pacer/limits/dimensions';
import { parseRateLimitHeaders } from '../../../src/pacer/limits/rateLimitHeaders';
import { decideFailure, exceededDimension, type FailureAction } from '../../../src/pacer/retry/failurePolicy';
import type { AttemptError } from '../../../src/pacer/transport';
import { headers } from './scriptedTransport';

const NOW = Date.parse('2025-02-24T22:25:32Z');
const COST = requestCost(4000, 500);

function error(
  kind: AttemptError['kind'],
  status: number | undefined,
  message: string,
  type?: string,
): AttemptError {
  return {
    kind,
    message,
    midStream: false,
    ...(status !== undefined ? { status } : {}),
    ...(type ? { type } : {}),
  };
}

describe('§10 headers', () => {
  it('reads tokens-* as a fourth dimension, and pace on whichever dimensions a response carries', () => {
    // A 2024 429: only requests-* and tokens-*.
    const report = parseRateLimitHeaders(
      headers({
        'anthropic-ratelimit-requests-limit': '5',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': '2025-02-24T22:26:00Z',
        'anthropic-ratelimit-tokens-limit': '25000',
        'anthropic-ratelimit-tokens-remaining': '16000',
        'anthropic-ratelimit-tokens-reset': '2025-02-24T22:26:00Z',
      }),
      NOW,
    );
    assert.deepEqual(Object.keys(report.dimensions).sort(), ['requests', 'tokens']);
    assert.equal(report.dimensions.tokens?.limit, 25_000);
    assert.equal(report.dimensions.tokens?.remaining, 16_000);
    assert.equal(
      report.organizationId,
      undefined,
      'no organization id: learned when it appears, never required',
    );
  });

  it('a blank organization id is no organization; a reset before `date` is clamped to now', () => {
    const report = parseRateLimitHeaders(
      headers({
        'anthropic-organization-id': '',
        date: 'Mon, 24 Feb 2025 22:25:32 GMT',
        'anthropic-ratelimit-output-tokens-limit': '16000',
        'anthropic-ratelimit-output-tokens-remaining': '12000',
        'anthropic-ratelimit-output-tokens-reset': '2025-02-24T22:25:20Z',
      }),
      NOW,
    );
    assert.equal(report.organizationId, undefined);
    assert.equal(report.dimensions.outputTokens?.resetAtMs, NOW);
  });

  it('Priority Tier headers are not taken for the standard limits', () => {
    const report = parseRateLimitHeaders(
      headers({
        'anthropic-priority-input-tokens-limit': '1000',
        'anthropic-priority-input-tokens-remaining': '733',
      }),
      NOW,
    );
    assert.equal(report.hasRateLimitHeaders, false);
  });
});

describe('§10 429 wordings: which limit refused', () => {
  const noHeaders = parseRateLimitHeaders(headers({}), NOW);
  const cases: ReadonlyArray<readonly [string, Dimension | undefined]> = [
    [
      "This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: x, model: y)",
      'inputTokens',
    ],
    [
      'This request would exceed your organization’s rate limit of 80,000 input tokens per minute',
      'inputTokens',
    ],
    [
      'This request would exceed the rate limit for your organization (uuid) of 40,000 input tokens per minute',
      'inputTokens',
    ],
    ['This request would exceed your rate limit of 8,000 output tokens per minute', 'outputTokens'],
    ['Number of request tokens has exceeded your per-minute rate limit', 'inputTokens'],
    ["This request would exceed your organization's rate limit of 50 requests per minute", 'requests'],
    ["This request would exceed your organization's rate limit of 30,000 tokens per minute", 'tokens'],
    ['Number of requests has exceeded your daily rate limit', 'requests'],
    ['Rate limited', undefined],
    ['Error', undefined],
  ];
  for (const [message, expected] of cases) {
    it(`"${message.slice(0, 60)}…" → ${expected ?? 'unnamed'}`, () => {
      assert.equal(exceededDimension(error('rate_limited', 429, message), noHeaders, COST), expected);
    });
  }

  it('an unnamed 429 reads the limit from the headers: the one shortest of the cost', () => {
    const report = parseRateLimitHeaders(
      headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '50',
        'anthropic-ratelimit-input-tokens-limit': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '0',
      }),
      NOW,
    );
    assert.equal(exceededDimension(error('rate_limited', 429, 'Error'), report, COST), 'inputTokens');
  });

  it('an unnamed 429 allows for rounding: "4,000" input tokens left may be 3,500, short of a 3,994-token request', () => {
    const report = (tokensLeft: string) =>
      parseRateLimitHeaders(
        headers({
          'anthropic-ratelimit-requests-limit': '6000',
          'anthropic-ratelimit-requests-remaining': '99',
          'anthropic-ratelimit-input-tokens-limit': '240000',
          'anthropic-ratelimit-input-tokens-remaining': tokensLeft,
        }),
        NOW,
      );
    const cost = requestCost(3994, 5);
    const refused = error('rate_limited', 429, 'Rate limited');
    assert.equal(exceededDimension(refused, report('4000'), cost), 'inputTokens');
    // A reading that holds the request even at its lowest says nothing against input tokens.
    assert.equal(exceededDimension(refused, report('5000'), cost), undefined);
  });
});

describe('§10 errors: the reaction', () => {
  const none = parseRateLimitHeaders(headers({}), NOW);
  const cases: ReadonlyArray<readonly [string, AttemptError, FailureAction]> = [
    ['529 Overloaded', error('overloaded', 529, 'Overloaded'), { kind: 'backoff', isOverload: true }],
    [
      '500 api_error "Overloaded"',
      error('server_error', 500, 'Overloaded'),
      { kind: 'backoff', isOverload: true },
    ],
    [
      '500 api_error "Internal server error"',
      error('server_error', 500, 'Internal server error'),
      { kind: 'backoff', isOverload: false },
    ],
    [
      '403 permission_error',
      error('permission', 403, 'Permission denied', 'permission_error'),
      { kind: 'quarantine_key' },
    ],
    [
      '403 edge forbidden',
      error('permission', 403, 'Request not allowed', 'forbidden'),
      { kind: 'cool_key' },
    ],
    [
      '400 credit balance too low',
      error(
        'invalid_request',
        400,
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      ),
      { kind: 'block_org', block: 'billing' },
    ],
    [
      '400 prompt is too long',
      error('invalid_request', 400, 'prompt is too long: 200082 tokens > 200000 maximum'),
      { kind: 'fail' },
    ],
    [
      '413 without envelope',
      error('too_large', 413, 'Request exceeds the maximum size', 'request_too_large'),
      { kind: 'fail' },
    ],
    [
      '429 "Rate limited", no headers',
      error('rate_limited', 429, 'Rate limited'),
      { kind: 'cool_pool', isRamp: false },
    ],
  ];
  for (const [name, attemptError, expected] of cases) {
    it(name, () => assert.deepEqual(decideFailure(attemptError, none, NOW, COST), expected));
  }

  it('retry-after: 0 is a wait of 0 here; the retry layer turns it into a short floor', () => {
    const report = parseRateLimitHeaders(headers({ 'retry-after': '0' }), NOW);
    assert.deepEqual(decideFailure(error('rate_limited', 429, 'Rate limited'), report, NOW, COST), {
      kind: 'cool_pool',
      isRamp: false,
      coolMs: 0,
    });
  });

  it('an ITPM 429 with retry-after 16 and a reset 63 s ahead waits 16 s, not the full reset', () => {
    const report = parseRateLimitHeaders(
      headers({
        'retry-after': '16',
        'anthropic-ratelimit-input-tokens-limit': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '0',
        'anthropic-ratelimit-input-tokens-reset': new Date(NOW + 63_000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '50',
      }),
      NOW,
    );
    const message =
      "This request would exceed your organization's rate limit of 30,000 input tokens per minute";
    assert.deepEqual(decideFailure(error('rate_limited', 429, message), report, NOW, COST), {
      kind: 'cool_pool',
      isRamp: false,
      dimension: 'inputTokens',
      coolMs: 16_000,
    });
  });
});
