import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStale, outcomeNotice, supersededBy } from '../../../src/commands/model/proposalRules';

describe('proposal rules', () => {
  it('a new proposal replaces every pending one for the same document, and no other', () => {
    const pending = [
      { id: 'p1', target: 'file:///a.ts' },
      { id: 'p2', target: 'file:///b.ts' },
      { id: 'p3', target: 'file:///a.ts' },
    ];
    assert.deepEqual(supersededBy(pending, 'file:///a.ts'), ['p1', 'p3']);
    assert.deepEqual(supersededBy(pending, 'file:///c.ts'), []);
    assert.deepEqual(supersededBy([], 'file:///a.ts'), []);
  });

  it('a proposal is stale once its document moved on or its range holds other text', () => {
    const proposal = { version: 3, originalText: 'let a = 1;' };
    assert.equal(isStale(proposal, { version: 3, textInRange: 'let a = 1;' }), false);
    assert.equal(isStale(proposal, { version: 4, textInRange: 'let a = 1;' }), true, 'an edit elsewhere');
    assert.equal(isStale(proposal, { version: 3, textInRange: 'let a = 2;' }), true);
  });

  it('says why an Accept applied nothing, and stays quiet when it did what was asked', () => {
    assert.equal(outcomeNotice('accept', 'applied'), undefined);
    assert.equal(outcomeNotice('reject', 'rejected'), undefined);
    assert.equal(outcomeNotice('accept', 'superseded'), undefined);
    assert.deepEqual(outcomeNotice('accept', 'stale')?.level, 'warning');
    assert.match(outcomeNotice('accept', 'stale')?.text ?? '', /stale and was not applied/);
    assert.match(outcomeNotice('accept', 'refused')?.text ?? '', /could not be applied/);
    assert.match(outcomeNotice('accept', 'unknown')?.text ?? '', /^Nothing was applied: .*no longer pending/);
    assert.match(outcomeNotice('reject', 'unknown')?.text ?? '', /^That proposal is no longer pending/);
    const upper = (message: string): string => message.toUpperCase();
    assert.match(outcomeNotice('accept', 'stale', upper)?.text ?? '', /^THE FILE CHANGED/);
  });
});
