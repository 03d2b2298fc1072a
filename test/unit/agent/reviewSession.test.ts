import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReviewSession } from '../../../src/agent/model/reviewSession';

const A = { path: 'a.ts', originalText: 'greet\n', proposedText: 'welcome\n' };
const B = { path: 'b.ts', originalText: 'greet();\n', proposedText: 'welcome();\n' };
const C = { path: 'c.ts', originalText: undefined, proposedText: 'new\n' };

void describe('review session', () => {
  void it('nothing is decided without a click; undecided files count as rejected', () => {
    const session = new ReviewSession([A, B]);
    assert.equal(session.isDone, false);
    assert.deepEqual(
      session.pending.map((c) => c.path),
      ['a.ts', 'b.ts'],
    );
    assert.deepEqual(session.result(), { written: [], stale: [], rejected: ['a.ts', 'b.ts'] });
  });

  void it('accept one and reject the other: exactly the accepted one is written, and the review is done', () => {
    const session = new ReviewSession([A, B]);
    assert.equal(session.accept('a.ts'), A);
    assert.equal(session.decisionOf('a.ts'), 'applying');
    assert.equal(session.isDone, false, 'not done while the file is being written');
    session.applied('a.ts', true);
    assert.equal(session.reject('b.ts'), true);
    assert.equal(session.isDone, true);
    assert.deepEqual(session.result(), { written: ['a.ts'], stale: [], rejected: ['b.ts'] });
  });

  void it('a file is written at most once and a decision is final', () => {
    const session = new ReviewSession([A, B, C]);
    assert.ok(session.accept('a.ts'));
    assert.equal(session.accept('a.ts'), undefined, 'a second Accept while writing does nothing');
    assert.equal(session.reject('a.ts'), false);
    session.applied('a.ts', false);
    assert.equal(session.decisionOf('a.ts'), 'stale');
    session.applied('a.ts', true);
    assert.equal(session.decisionOf('a.ts'), 'stale', 'a late report cannot change a decision');
    assert.equal(session.reject('c.ts'), true);
    assert.equal(session.accept('c.ts'), undefined);
    assert.equal(session.accept('../outside.txt'), undefined, 'a path not in the review is refused');
    assert.equal(session.decisionOf('../outside.txt'), undefined);
    assert.deepEqual(session.result(), { written: [], stale: ['a.ts'], rejected: ['b.ts', 'c.ts'] });
  });
});
