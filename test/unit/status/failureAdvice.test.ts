import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adviseOnFailure } from '../../../src/status/model/failureAdvice';
import { ENGLISH } from '../../../src/status/model/localize';

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

  it('sends its sentences through the given localize, with the details as args', () => {
    const upper = (message: string, ...args: Array<string | number>): string =>
      ENGLISH(message.toUpperCase(), ...args);
    assert.equal(
      adviseOnFailure({ kind: 'no_keys', message: '' }, upper).message,
      'CLAUDE PACER HAS NO API KEY YET. ADD ONE TO SEND REQUESTS.',
    );
    assert.equal(
      adviseOnFailure({ kind: 'rate_limited', message: 'Try later.' }, upper).message,
      'CLAUDE KEPT RATE-LIMITING THIS REQUEST. Try later.',
    );
    assert.equal(
      adviseOnFailure({ kind: 'spend_limit', message: '', resumesAtMs: Date.UTC(2026, 8, 1) }, upper).message,
      'YOUR API USAGE LIMIT IS REACHED. ACCESS RESUMES Tue, 01 Sep 2026 00:00:00 GMT.',
    );
  });
});
