import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stepContextTokens } from '../../../src/agent/model/stepContext';
import type { PoolSnapshot, SchedulerSnapshot } from '../../../src/pacer/index';

function pool(modelClass: string, inputCapacity: number | undefined, tokensCapacity?: number): PoolSnapshot {
  const view = (capacity: number | undefined) =>
    capacity === undefined
      ? { remaining: 0, capacity: 0 }
      : { limit: capacity, remaining: capacity, capacity };
  return {
    id: `${modelClass}-${inputCapacity}`,
    organizationId: 'org',
    modelClass,
    state: 'ok',
    dimensions: {
      requests: view(50),
      inputTokens: view(inputCapacity),
      outputTokens: view(8_000),
      tokens: view(tokensCapacity),
    },
    queued: 0,
    inFlight: 0,
  };
}

function snapshot(...pools: PoolSnapshot[]): SchedulerSnapshot {
  return { atMs: 0, pools, keys: [], queued: { interactive: 0, command: 0, background: 0 }, inFlight: 0 };
}

void describe('step context', () => {
  void it('is the model context less the reply while no input-token limit of the class is known', () => {
    assert.equal(stepContextTokens(snapshot(), 'sonnet-4', 4_096), 200_000 - 4_096);
    assert.equal(
      stepContextTokens(snapshot(pool('sonnet-4', undefined), pool('opus-4', 1_000)), 'sonnet-4', 0),
      200_000,
    );
  });

  void it("is the largest known input bucket of the class when that is smaller (a workspace's total limit counts)", () => {
    assert.equal(
      stepContextTokens(snapshot(pool('sonnet-4', 30_000), pool('sonnet-4', 50_000)), 'sonnet-4', 4_096),
      50_000,
    );
    assert.equal(stepContextTokens(snapshot(pool('sonnet-4', 30_000, 20_000)), 'sonnet-4', 4_096), 20_000);
    assert.equal(
      stepContextTokens(snapshot(pool('sonnet-4', 2_000_000)), 'sonnet-4', 4_096),
      200_000 - 4_096,
    );
  });
});
