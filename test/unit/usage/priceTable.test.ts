import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costByModel, costUsd, priceOf } from '../../../src/usage/model/priceTable';

const none = { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0 };

describe('priceTable', () => {
  it('prices a model from the table, dated ids included, and knows none for unknown models', () => {
    assert.equal(priceOf('claude-sonnet-4-6')?.inputPerMTok, 3);
    assert.equal(priceOf('claude-sonnet-4-5-20250929')?.outputPerMTok, 15);
    assert.equal(priceOf('claude-opus-4-6')?.inputPerMTok, 5);
    assert.equal(priceOf('claude-opus-4-1')?.inputPerMTok, 15);
    assert.equal(priceOf('claude-3-5-haiku-20241022')?.cacheReadPerMTok, 0.08);
    assert.equal(priceOf('claude-fable-5-1')?.cacheReadPerMTok, 0.25);
    assert.equal(priceOf('claude-fable-5')?.cacheReadPerMTok, 1);
    assert.equal(priceOf('claude-sonnet-5'), undefined);
    assert.equal(priceOf('claude-sonnet-4-6-extra'), undefined);
    assert.equal(priceOf('my-local-model'), undefined);
  });

  it('charges cache writes at 1.25 × and cache reads at 0.1 × the input price', () => {
    const sonnet = priceOf('claude-sonnet-4-6')!;
    assert.equal(costUsd({ ...none, inputTokens: 1_000_000 }, sonnet), 3);
    assert.equal(costUsd({ ...none, cacheWriteTokens: 1_000_000 }, sonnet), 3.75);
    assert.ok(Math.abs(costUsd({ ...none, cacheReadTokens: 1_000_000 }, sonnet) - 0.3) < 1e-12);
    assert.equal(costUsd({ ...none, outputTokens: 2_000_000 }, sonnet), 30);
  });

  it('sums tokens per model, prices what it knows and leaves the rest without a cost', () => {
    const costs = costByModel([
      { model: 'claude-sonnet-4-6', ...none, inputTokens: 500_000, cacheReadTokens: 1_000_000 },
      { model: 'claude-sonnet-4-6', ...none, inputTokens: 500_000, outputTokens: 100_000 },
      { model: 'mystery-1', ...none, inputTokens: 42 },
    ]);
    assert.equal(costs.length, 2);
    const [sonnet, mystery] = costs;
    assert.equal(sonnet!.inputTokens, 1_000_000);
    assert.ok(Math.abs(sonnet!.costUsd! - (3 + 0.3 + 1.5)) < 1e-9);
    assert.ok(Math.abs(sonnet!.cacheSavedUsd! - 2.7) < 1e-9);
    assert.equal(mystery!.model, 'mystery-1');
    assert.equal(mystery!.costUsd, undefined);
    assert.equal(mystery!.cacheSavedUsd, undefined);
  });
});
