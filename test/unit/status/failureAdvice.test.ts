import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adviseOnFailure } from '../../../src/status/model/failureAdvice';

describe('failure advice', () => {
  it('gives one sentence and the actions that fix it', () => {
    assert.deepEqual(adviseOnFailure({ kind: 'no_keys', message: '' }).actions, ['addKey']);
    assert.deepEqual(adviseOnFailure({ kind: 'interrupted', message: 'cut' }).actions, [
      'continue',
      'showLog',
    ]);
    const spend = adviseOnFailure({ kind: 'spend_limit', message: '', resumesAtMs: Date.UTC(2026, 8, 1) });
    assert.match(spend.message, /resumes Tue, 01 Sep 2026 00:00:00 GMT/);
  });
});
