import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebviewMessage } from '../../../src/chat/model/chatProtocol';
import { parseHostMessage } from '../../../src/chat/model/parseHostMessage';

void describe('chat protocol: pickers, history and attachments', () => {
  void it('accepts the page’s picker messages and refuses malformed ones', () => {
    for (const type of ['attach', 'pickModel', 'showHistory'] as const)
      assert.deepEqual(parseWebviewMessage({ type }), { type });
    assert.deepEqual(parseWebviewMessage({ type: 'detach', key: 'file:file:///a.ts' }), {
      type: 'detach',
      key: 'file:file:///a.ts',
    });
    assert.equal(parseWebviewMessage({ type: 'detach', key: '' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'switchModel', model: 'claude-haiku-4-5' }), {
      type: 'switchModel',
      model: 'claude-haiku-4-5',
    });
    assert.equal(parseWebviewMessage({ type: 'switchModel', model: 'a b' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'switchModel', model: 'x'.repeat(101) }), undefined);
    // Problems chips are not toggles: only the editor's selection and file are.
    assert.equal(
      parseWebviewMessage({ type: 'toggleContext', kind: 'problems', isEnabled: true }),
      undefined,
    );
  });

  void it('accepts the model choice and attached chips from the host', () => {
    assert.deepEqual(
      parseHostMessage({
        type: 'model',
        choice: { model: 'claude-haiku-4-5', isChosen: true, fallbackModel: 'claude-sonnet-4-6' },
      }),
      {
        type: 'model',
        choice: { model: 'claude-haiku-4-5', isChosen: true, fallbackModel: 'claude-sonnet-4-6' },
      },
    );
    assert.equal(parseHostMessage({ type: 'model', choice: { model: '', isChosen: true } }), undefined);
    const chip = {
      kind: 'problems',
      label: 'src/a.ts',
      tokens: 12,
      isEnabled: true,
      key: 'problems:x',
      note: 'cut',
    };
    const context = parseHostMessage({
      type: 'context',
      chips: [chip],
      budget: { baseTokens: 1, charsPerToken: 4, model: 'm' },
    });
    assert.deepEqual(context?.type === 'context' ? context.chips : undefined, [chip]);
    assert.equal(
      parseHostMessage({
        type: 'context',
        chips: [{ ...chip, key: 7 }],
        budget: { baseTokens: 1, charsPerToken: 4, model: 'm' },
      }),
      undefined,
    );
  });
});
