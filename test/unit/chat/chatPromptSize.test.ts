import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oversizedSendNotice, promptSizeProblem } from '../../../src/chat/model/chatPromptSize';
import { MAX_PROMPT_CHARS, parseWebviewMessage } from '../../../src/chat/model/chatProtocol';

void describe('chat prompts over the size limit', () => {
  void it('the page is told why before sending, for exactly the prompts the host would drop', () => {
    for (const length of [
      1,
      MAX_PROMPT_CHARS - 1,
      MAX_PROMPT_CHARS,
      MAX_PROMPT_CHARS + 1,
      3 * MAX_PROMPT_CHARS,
    ]) {
      const text = 'x'.repeat(length);
      const isDropped = parseWebviewMessage({ type: 'send', text }) === undefined;
      const problem = promptSizeProblem(text);
      assert.equal(problem !== undefined, isDropped, `length ${length}`);
      if (problem) assert.match(problem, /at most 200,000/);
    }
  });

  void it('the host answers a dropped oversized send with the same notice, and nothing else with one', () => {
    const text = 'y'.repeat(MAX_PROMPT_CHARS + 5);
    assert.equal(oversizedSendNotice({ type: 'send', text }), promptSizeProblem(text));
    for (const other of [
      undefined,
      null,
      'send',
      { type: 'send', text: 'short' },
      { type: 'copyCode', code: text },
    ])
      assert.equal(oversizedSendNotice(other), undefined);
  });
});
