import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectionRequest } from '../../../src/commands/model/editPrompts';

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
});
