import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  cutAtUnbalancedCloser,
  isClosersOnly,
  isMidLine,
  trimCompletion,
} from '../../../src/completions/model/trimCompletion';
import { CURSOR_MARK } from '../../../src/completions/model/fimPrompt';

const at = (prefix: string, suffix: string) => ({ prefix, suffix });

/** True when every closing bracket in `text` closes one opened before it in `text`. */
function closersBalanced(text: string): boolean {
  const open: string[] = [];
  for (const ch of text) {
    if ('([{'.includes(ch)) open.push(ch);
    const closer = ')]}'.indexOf(ch);
    if (closer >= 0 && open.pop() !== '([{'[closer]) return false;
  }
  return true;
}

describe('trimCompletion', () => {
  it('strips Markdown fences, also a fence cut off by max_tokens', () => {
    assert.equal(trimCompletion('```ts\nreturn a + b;\n```', at('', '\n')), 'return a + b;');
    assert.equal(trimCompletion('```python\nx = 1\ny = 2', at('', '')), 'x = 1\ny = 2');
    assert.equal(trimCompletion('Here:\n```\nfoo()\n```\nDone.', at('', '')), 'foo()');
  });

  it('keeps one line when the cursor is mid-line, several at the end of a line', () => {
    assert.equal(trimCompletion('a, b\nmore', at('f(', ')')), 'a, b');
    assert.equal(trimCompletion('if (x) {\n  y();\n}', at('', '\n')), 'if (x) {\n  y();\n}');
  });

  it('drops a tail that repeats the start of the suffix', () => {
    assert.equal(trimCompletion('foo();', at('const x = ', ';\n')), 'foo()');
    assert.equal(trimCompletion('a + b\n}', at('return ', '\n}\n')), 'a + b');
  });

  it('stops at a closing bracket the reply did not open', () => {
    assert.equal(trimCompletion('a, b))', at('f(', ')')), 'a, b');
    assert.equal(trimCompletion('foo(a))', at('print(', ')')), 'foo(a)', 'its own balanced call is kept');
    assert.equal(cutAtUnbalancedCloser('x[1)'), 'x[1');
  });

  it('removes an echoed cursor mark', () => {
    assert.equal(trimCompletion(`${CURSOR_MARK}value`, at('x = ', '\n')), 'value');
  });

  it('knows mid-line from the first line of the suffix', () => {
    assert.equal(isMidLine(');\nnext'), true);
    assert.equal(isMidLine('   \nnext'), false);
    assert.equal(isMidLine(''), false);
  });

  it('property: never ends with a start of the suffix (but its own closing brackets), adds only balanced closers, one line mid-line', () => {
    const piece = fc.constantFrom('a', 'b', ' ', '\n', '(', ')', '[', ']', '{', '}', ';', '`', 'x1');
    const text = fc.array(piece, { maxLength: 14 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, text, (reply, prefix, suffix) => {
        const result = trimCompletion(reply, at(prefix, suffix));
        for (let k = 1; k <= Math.min(result.length, suffix.length); k++) {
          const start = suffix.slice(0, k);
          if (result.endsWith(start))
            assert.ok(isClosersOnly(start), `${JSON.stringify(result)} ends with ${JSON.stringify(start)}`);
        }
        assert.ok(closersBalanced(result), `unbalanced closer in ${JSON.stringify(result)}`);
        if (isMidLine(suffix)) assert.ok(!result.includes('\n'), 'one line mid-line');
      }),
      { numRuns: 2000 },
    );
  });

  it('property: is idempotent', () => {
    const piece = fc.constantFrom('a', ' ', '\n', '(', ')', '{', '}', ';');
    const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, (reply, suffix) => {
        const once = trimCompletion(reply, at('', suffix));
        assert.equal(trimCompletion(once, at('', suffix)), once);
      }),
      { numRuns: 1000 },
    );
  });
});
