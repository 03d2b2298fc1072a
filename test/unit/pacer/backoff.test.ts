import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullJitterDelayMs } from '../../../src/pacer/retry/backoff';
import { modelClassOf, cacheReadsCountFor } from '../../../src/pacer/limits/modelClass';

const policy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 5 };

describe('fullJitterDelayMs', () => {
  it('draws uniformly below base × 2^(attempt−1), capped', () => {
    assert.equal(
      fullJitterDelayMs(policy, 1, () => 0.5),
      500,
    );
    assert.equal(
      fullJitterDelayMs(policy, 2, () => 0.5),
      1000,
    );
    assert.equal(
      fullJitterDelayMs(policy, 3, () => 0.999),
      3996,
    );
    assert.equal(
      fullJitterDelayMs(policy, 10, () => 1),
      8000,
      'capped',
    );
    assert.equal(
      fullJitterDelayMs(policy, 4, () => 0),
      0,
      'full jitter reaches zero',
    );
  });

  it('survives a broken random source', () => {
    assert.equal(
      fullJitterDelayMs(policy, 1, () => Number.NaN),
      500,
    );
    assert.equal(
      fullJitterDelayMs(policy, 1, () => 7),
      1000,
    );
  });
});

describe('modelClassOf', () => {
  it('groups the families that share a bucket and isolates the rest', () => {
    assert.equal(modelClassOf('claude-opus-4-5'), 'opus-4.x');
    assert.equal(modelClassOf('claude-opus-4-8'), 'opus-4.x');
    assert.equal(modelClassOf('claude-sonnet-4-6'), 'sonnet-4.x');
    assert.equal(modelClassOf('claude-sonnet-4-5-20250929'), 'sonnet-4.x');
    assert.equal(modelClassOf('claude-opus-5'), 'opus-5');
    assert.equal(modelClassOf('claude-sonnet-5'), 'sonnet-5');
    assert.equal(modelClassOf('claude-haiku-4-5'), 'haiku-4.5');
    assert.equal(modelClassOf('claude-3-5-haiku-20241022'), 'haiku-3.5');
    assert.equal(modelClassOf('claude-opus-5-5'), 'claude-opus-5-5', 'not in the table: its own class');
    assert.equal(modelClassOf('Some-Unknown'), 'some-unknown');
  });

  it('marks the classes whose cache reads count', () => {
    assert.equal(cacheReadsCountFor('haiku-3.5'), true);
    assert.equal(cacheReadsCountFor('sonnet-4.x'), false);
  });
});
