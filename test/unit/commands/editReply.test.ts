import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { extractProposal } from '../../../src/commands/model/editReply';

const code = (text: string) => ({ kind: 'code', code: text });
const truncated = (stopReason: string | null) => ({ kind: 'truncated', stopReason });

describe('the code an edit reply proposes', () => {
  it('proposes the code of the first fenced block, whichever fence closes it', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Here:\n```ts\nconst a = 1;\n```\nDone', 'const a = 1;'],
      ['```\na\n```', 'a'],
      ['~~~py\nx = 1\n~~~', 'x = 1'],
      ['```\r\na\r\n```\r\n', 'a'],
      // A longer closing fence closes; trailing spaces after it are allowed.
      ['```ts\na\n`````', 'a'],
      ['~~~\na\n~~~~~~   ', 'a'],
      // Up to three spaces before either fence.
      ['   ```ts\na\n   ```', 'a'],
      // A tilde fence's info string may hold backticks.
      ['~~~ js `weird`\na\n~~~', 'a'],
      // An empty block is a block.
      ['```ts\n```', ''],
      // The first block wins over later ones.
      ['```ts\nfirst\n```\nand\n```ts\nsecond\n```', 'first'],
    ];
    for (const [reply, expected] of cases)
      assert.deepEqual(extractProposal(reply, 'end_turn'), code(expected), JSON.stringify(reply));
  });

  it('keeps fences of another kind or shorter length inside the block (nested fences)', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['````md\n```\ninner\n```\n````  ', '```\ninner\n```'],
      ['~~~md\n```ts\ninner\n```\n~~~', '```ts\ninner\n```'],
      ['```md\n~~~\ninner\n~~~\n```', '~~~\ninner\n~~~'],
      // An opening-looking line with an info string never closes a block.
      ['```md\n```ts\ninner\n```', '```ts\ninner'],
    ];
    for (const [reply, expected] of cases)
      assert.deepEqual(extractProposal(reply, 'end_turn'), code(expected), JSON.stringify(reply));
  });

  it("removes as much indentation from the block's lines as its opening fence had (CommonMark)", () => {
    assert.deepEqual(
      extractProposal('1. Fix:\n  ```ts\n  if (a) {\n    b();\n  }\n  ```', null),
      code('if (a) {\n  b();\n}'),
    );
    assert.deepEqual(extractProposal(' ```\n   a\nb\n ```', null), code('  a\nb'));
  });

  it('proposes no edit for a reply without a code block, whatever the server says', () => {
    const replies = [
      'Replace the loop with a reduce call.',
      'Use `x` and ``y``, inline only.',
      '',
      // Backticks after the info string make inline code, not a fence.
      '```js `nope` ```',
      // Two characters are not a fence; four spaces make an indented code block, not a fence.
      '``\ncode\n``',
      '    ```\n    code\n    ```',
    ];
    for (const stop of ['end_turn', 'max_tokens', 'tool_use', null])
      for (const reply of replies) assert.deepEqual(extractProposal(reply, stop), { kind: 'none' }, reply);
  });

  it('never proposes a fenced block that does not close (a truncated reply)', () => {
    assert.deepEqual(extractProposal('```ts\nconst a = 1;\nconst b', 'max_tokens'), truncated('max_tokens'));
    const unclosed = [
      '```ts',
      '```ts\n',
      // A shorter or different closing fence, or text after it, does not close the block.
      '````ts\ncode\n```',
      '```ts\ncode\n~~~',
      '~~~ts\ncode\n```',
      '```ts\ncode\n``` trailing',
      // Four spaces of indentation make it code, not a closing fence.
      '```ts\ncode\n    ```',
      // The outer fence of nested fences never closed.
      '````md\n```\ninner\n```',
    ];
    for (const reply of unclosed)
      assert.deepEqual(extractProposal(reply, 'end_turn'), truncated('end_turn'), JSON.stringify(reply));
  });

  it('never proposes any cut of a reply made before its closing fence, and proposes the whole reply exactly', () => {
    const fenceOf = fc.record({ char: fc.constantFrom('`', '~'), length: fc.integer({ min: 3, max: 6 }) });
    const line = fc.string({ unit: fc.constantFrom('a', ' ', '`', '~', '{', '}', 'x', ';'), maxLength: 12 });
    const reply = fenceOf.chain((fence) =>
      fc.record({
        fence: fc.constant(fence),
        prose: fc.string({ unit: fc.constantFrom('a', ' ', '.'), maxLength: 20 }),
        info: fc.constantFrom('', 'ts', 'python'),
        // Lines that would close the block are left out: they end it early by definition.
        lines: fc.array(
          line.filter((l) => !closes(l, fence.char, fence.length)),
          { maxLength: 6 },
        ),
      }),
    );
    fc.assert(
      fc.property(reply, fc.nat(), ({ fence, prose, info, lines }, cutSeed) => {
        const marker = fence.char.repeat(fence.length);
        const head = `${prose}\n${marker}${info}\n${lines.map((l) => `${l}\n`).join('')}`;
        const whole = `${head}${marker}\nThat is all.`;
        assert.deepEqual(extractProposal(whole, 'end_turn'), code(lines.join('\n')));
        // Anywhere before the closing fence the reply ends, it is never a proposal.
        const cut = head.slice(0, cutSeed % (head.length + 1));
        assert.notEqual(extractProposal(cut, 'max_tokens').kind, 'code', JSON.stringify(cut));
      }),
      { numRuns: 300 },
    );
  });
});

/** Whether `line` is a CommonMark closing fence for a fence of `length` `char`s (the test's own rule). */
function closes(line: string, char: string, length: number): boolean {
  const trimmed = line.replace(/^ {0,3}/, '').trimEnd();
  return trimmed.length >= length && [...trimmed].every((c) => c === char);
}
