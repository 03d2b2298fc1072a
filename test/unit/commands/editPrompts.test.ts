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
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Here:\n```ts\nconst a = 1;\n```\nDone', 'const a = 1;'],
      ['````md\n```\ninner\n```\n````  ', '```\ninner\n```'],
      ['~~~py\nx = 1\n~~~', 'x = 1'],
      ['```\r\na\r\n```\r\n', 'a'],
    ];
    for (const [reply, code] of cases)
      assert.deepEqual(extractProposal(reply, 'end_turn'), { kind: 'code', code }, reply);
  });

  it('proposes no edit for a reply without a code block, whatever the server says', () => {
    // Backticks after the info string make inline code, not a fence.
    const replies = [
      'Replace the loop with a reduce call.',
      'Use `x` and ``y``, inline only.',
      '',
      '```js `nope` ```',
    ];
    for (const stop of ['end_turn', 'max_tokens', 'tool_use', null])
      for (const reply of replies) assert.deepEqual(extractProposal(reply, stop), { kind: 'none' }, reply);
  });

  it('never proposes a fenced block that does not close (a truncated reply)', () => {
    assert.deepEqual(extractProposal('```ts\nconst a = 1;\nconst b', 'max_tokens'), {
      kind: 'truncated',
      stopReason: 'max_tokens',
    });
    // A shorter or different closing fence, or text after it, does not close the block.
    for (const reply of ['````ts\ncode\n```', '```ts\ncode\n~~~', '```ts\ncode\n``` trailing'])
      assert.deepEqual(
        extractProposal(reply, 'end_turn'),
        { kind: 'truncated', stopReason: 'end_turn' },
        reply,
      );
  });
});
