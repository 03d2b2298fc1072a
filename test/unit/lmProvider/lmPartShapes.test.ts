import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toLmPart } from '../../../src/lmProvider/model/lmPartShapes';

/** Objects shaped like VS Code 1.139's part classes (their fields, as the extension host builds them). */
const textPart = (value: string) => ({ value, audience: undefined });
const thinkingPart = { value: 'pondering', id: 'th1', metadata: undefined };
const dataPart = (mimeType: string, data: Uint8Array) => ({ mimeType, data, audience: undefined });

void describe('toLmPart', () => {
  void it('reads text, tool calls, tool results (with their parts) and data parts by shape', () => {
    const data = new Uint8Array([1, 2, 3]);
    assert.deepEqual(toLmPart(textPart('hi')), [{ kind: 'text', value: 'hi' }]);
    assert.deepEqual(toLmPart('plain'), [{ kind: 'text', value: 'plain' }]);
    assert.deepEqual(toLmPart({ callId: 'c1', name: 'lookup', input: { q: 1 } }), [
      { kind: 'toolCall', callId: 'c1', name: 'lookup', input: { q: 1 } },
    ]);
    assert.deepEqual(
      toLmPart({ callId: 'c1', content: [textPart('42'), dataPart('image/png', data), { prompt: 'tsx' }] }),
      [
        {
          kind: 'toolResult',
          callId: 'c1',
          content: [
            { kind: 'text', value: '42' },
            { kind: 'data', mimeType: 'image/png', data },
          ],
        },
      ],
    );
    assert.deepEqual(toLmPart(dataPart('image/png', data)), [{ kind: 'data', mimeType: 'image/png', data }]);
  });

  void it('marks error results and skips thinking and unknown parts', () => {
    assert.deepEqual(toLmPart({ callId: 'c1', content: [], isError: true }), [
      { kind: 'toolResult', callId: 'c1', content: [], isError: true },
    ]);
    assert.deepEqual(toLmPart(thinkingPart), []);
    assert.deepEqual(toLmPart({ value: 3 }), []);
    assert.deepEqual(toLmPart(null), []);
    assert.deepEqual(toLmPart({ mimeType: 'image/png', data: 'not bytes' }), []);
  });
});
