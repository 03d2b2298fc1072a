import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractProposal, selectionRequest } from '../../../src/commands/model/editPrompts';

describe('edit prompts', () => {
  it('fences the code with a fence longer than any backtick run inside it', () => {
    const request = selectionRequest(
      'fix',
      { languageId: 'ts', fileName: 'a.ts', code: 'const s = `x```;', diagnostics: ['line 1: bad'] },
      'm',
      100,
    );
    const text = request.messages[0]!.content as string;
    assert.match(text, /````ts\nconst s/);
    assert.match(text, /- line 1: bad/);
  });

  it('proposes the code of the first fenced block', () => {
    assert.deepEqual(extractProposal('Here:\n```ts\nconst a = 1;\n```\nDone', 'end_turn'), {
      kind: 'code',
      code: 'const a = 1;',
    });
    assert.deepEqual(extractProposal('````md\n```\ninner\n```\n````  ', 'end_turn'), {
      kind: 'code',
      code: '```\ninner\n```',
    });
    assert.deepEqual(extractProposal('~~~py\nx = 1\n~~~', 'end_turn'), { kind: 'code', code: 'x = 1' });
    assert.deepEqual(extractProposal('```\r\na\r\n```\r\n', 'end_turn'), { kind: 'code', code: 'a' });
  });

  it('proposes no edit for a reply without a code block, whatever the server says', () => {
    for (const stop of ['end_turn', 'max_tokens', 'tool_use', null]) {
      assert.deepEqual(extractProposal('Replace the loop with a reduce call.', stop), { kind: 'none' });
      assert.deepEqual(extractProposal('Use `x` and ``y``, inline only.', stop), { kind: 'none' });
    }
    assert.deepEqual(extractProposal('', 'end_turn'), { kind: 'none' });
    // Backticks after the info string make inline code, not a fence.
    assert.deepEqual(extractProposal('```js `nope` ```', 'end_turn'), { kind: 'none' });
  });

  it('never proposes a fenced block that does not close (a truncated reply)', () => {
    assert.deepEqual(extractProposal('```ts\nconst a = 1;\nconst b', 'max_tokens'), {
      kind: 'truncated',
      stopReason: 'max_tokens',
    });
    // A shorter or different closing fence does not close the block.
    assert.deepEqual(extractProposal('````ts\ncode\n```', 'end_turn'), {
      kind: 'truncated',
      stopReason: 'end_turn',
    });
    assert.deepEqual(extractProposal('```ts\ncode\n~~~', 'end_turn'), {
      kind: 'truncated',
      stopReason: 'end_turn',
    });
    assert.deepEqual(extractProposal('```ts\ncode\n``` trailing', 'end_turn'), {
      kind: 'truncated',
      stopReason: 'end_turn',
    });
  });
});
