import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capText,
  cutNote,
  MAX_ATTACHED_CHARS,
  problemsText,
  refusedNote,
} from '../../../src/chat/model/attachmentCap';

void describe('attachment cap', () => {
  void it('keeps text that fits, whole', () => {
    assert.deepEqual(capText('abc', 10), { text: 'abc', originalChars: 3, isCut: false });
  });

  void it('cuts at a line end near the cap, else at the cap; nothing when the budget is spent', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const capped = capText(lines, 100)!;
    assert.ok(capped.isCut);
    assert.ok(capped.text.length <= 100 && capped.text.endsWith('\n'), JSON.stringify(capped.text));
    assert.equal(capped.originalChars, lines.length);
    assert.equal(capText('x'.repeat(50), 20)?.text, 'x'.repeat(20));
    assert.equal(capText('anything', 0), undefined);
  });

  void it('says what was cut and why, and why something was refused', () => {
    const note = cutNote('src/big.ts', { text: 'x'.repeat(1200), originalChars: 500_000, isCut: true });
    assert.equal(
      note,
      `src/big.ts was cut to its first 1,200 of 500,000 characters: attachments share a cap of ${MAX_ATTACHED_CHARS.toLocaleString('en-US')} characters per message.`,
    );
    assert.match(refusedNote('a.ts', 'full'), /not attached: the attachments already hold the cap/);
    assert.match(refusedNote('a.ts', 'tooMany'), /at most 10 attachments/);
  });

  void it('lists a file’s Problems one per line', () => {
    assert.equal(
      problemsText([
        { line: 3, severity: 'error', message: "Cannot find name\n 'x'.", source: 'ts' },
        { line: 9, severity: 'warning', message: 'Unused.' },
      ]),
      "line 3 (error): Cannot find name 'x'. [ts]\nline 9 (warning): Unused.",
    );
  });
});
