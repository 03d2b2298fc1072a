import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatRequestOptions, composerBudget, inputLimitFor } from '../../../src/chat/model/chatRequest';
import type { PoolSnapshot } from '../../../src/pacer/index';
import { TIER_PRESETS } from '../../../src/settings/model/settings';

function pool(modelClass: string, inputLimit: number | undefined): PoolSnapshot {
  const dimension = { remaining: 0, capacity: 0 };
  return {
    id: `org/${modelClass}/${inputLimit ?? 'unknown'}`,
    organizationId: 'org',
    modelClass,
    state: 'ok',
    dimensions: {
      requests: dimension,
      inputTokens: inputLimit !== undefined ? { ...dimension, limit: inputLimit } : dimension,
      outputTokens: dimension,
      tokens: dimension,
    },
    queued: 0,
    inFlight: 0,
  };
}

const configured = { 'limits.inputTokensPerMinute': 50_000, 'limits.tier': 'tier2' } as const;
const nothing = { 'limits.inputTokensPerMinute': null, 'limits.tier': 'learn' } as const;

describe('the composer budget and the input limit it is checked against', () => {
  it('prefers the largest limit learned for the model class, then the setting, then the tier preset', () => {
    const pools = [pool('sonnet-4.x', 30_000), pool('sonnet-4.x', 80_000), pool('haiku-4.5', 999_999)];
    assert.equal(inputLimitFor('claude-sonnet-4-6', pools, configured), 80_000);
    assert.equal(inputLimitFor('claude-sonnet-4-6', [pool('sonnet-4.x', undefined)], configured), 50_000);
    assert.equal(
      inputLimitFor('claude-sonnet-4-6', [], { ...configured, 'limits.inputTokensPerMinute': null }),
      TIER_PRESETS.tier2.inputTokens,
    );
    assert.equal(inputLimitFor('claude-sonnet-4-6', [], nothing), undefined, 'still learning');
  });

  it('takes the model and output cap from the settings and carries the limit only when known', () => {
    const options = chatRequestOptions({ model: 'claude-sonnet-4-6', maxOutputTokens: 1234 }, 5);
    assert.deepEqual(
      { model: options.model, maxTokens: options.maxTokens, nowMs: options.nowMs },
      { model: 'claude-sonnet-4-6', maxTokens: 1234, nowMs: 5 },
    );
    const conversation = { id: 'c', turns: [] };
    const withLimit = composerBudget(conversation, [], options, 30_000);
    assert.equal(withLimit.limitTokens, 30_000);
    assert.equal(withLimit.model, 'claude-sonnet-4-6');
    assert.ok(withLimit.baseTokens > 0, 'the system prompt counts');
    assert.equal('limitTokens' in composerBudget(conversation, [], options, undefined), false);
  });
});
