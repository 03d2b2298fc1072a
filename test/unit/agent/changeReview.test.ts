import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planApply } from '../../../src/agent/model/changeReview';
import { ChangeSet } from '../../../src/agent/model/changeSet';

void describe('change review: applying accepted files', () => {
  void it('writes accepted files whose text is unchanged, holds back stale ones, and rejects the rest', () => {
    const changes = new ChangeSet();
    changes.replaceLines('a.ts', 'greet\n', 1, 1, 'welcome');
    changes.replaceLines('b.ts', 'greet()\n', 1, 1, 'welcome()');
    changes.create('c.ts', undefined, 'new\n');
    changes.delete('d.ts', 'old\n');
    const disk: Record<string, string | undefined> = {
      'a.ts': 'greet\n',
      'b.ts': 'greet() // edited meanwhile\n',
      'd.ts': 'old\n',
    };
    const plan = planApply(changes.files, new Set(['a.ts', 'b.ts', 'c.ts']), (p) => disk[p]);
    assert.deepEqual(
      plan.write.map((c) => c.path),
      ['a.ts', 'c.ts'],
    );
    assert.deepEqual(
      plan.stale.map((c) => c.path),
      ['b.ts'],
    );
    assert.deepEqual(
      plan.rejected.map((c) => c.path),
      ['d.ts'],
    );
    assert.equal(plan.write[0]!.proposedText, 'welcome\n');
  });

  void it('a new file that appeared meanwhile is stale; nothing accepted writes nothing', () => {
    const changes = new ChangeSet();
    changes.create('c.ts', undefined, 'new\n');
    assert.deepEqual(planApply(changes.files, new Set(['c.ts']), () => 'someone else\n').stale.length, 1);
    assert.deepEqual(planApply(changes.files, new Set(), () => undefined).write, []);
  });
});
