import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTINUE_PROMPT } from '../../../src/chat/model/chatRequest';
import { continuationRequest, joinContinuation } from '../../../src/commands/model/continuation';
import { extractProposal } from '../../../src/commands/model/editReply';
import type { MessageRequest } from '../../../src/pacer/index';

describe('continuing a cut-off reply', () => {
  it('asks again with the partial answer as the assistant turn and ends on a user turn', () => {
    const request: MessageRequest = {
      model: 'm',
      maxTokens: 10,
      system: 's',
      messages: [{ role: 'user', content: 'fix this' }],
    };
    assert.deepEqual(continuationRequest(request, '```ts\nconst a'), {
      model: 'm',
      maxTokens: 10,
      system: 's',
      messages: [
        { role: 'user', content: 'fix this' },
        { role: 'assistant', content: '```ts\nconst a' },
        { role: 'user', content: CONTINUE_PROMPT },
      ],
    });
  });

  it('joins a continuation that carries straight on', () => {
    const joined = joinContinuation('```ts\nconst a = 1;\nconst b', ' = 2;\n```');
    assert.equal(joined, '```ts\nconst a = 1;\nconst b = 2;\n```');
    assert.deepEqual(extractProposal(joined, 'end_turn'), {
      kind: 'code',
      code: 'const a = 1;\nconst b = 2;',
    });
  });

  it('drops a code block opened again at the start of the continuation', () => {
    assert.equal(
      joinContinuation('```ts\nconst a = 1;\n', '```ts\nconst b = 2;\n```'),
      '```ts\nconst a = 1;\nconst b = 2;\n```',
    );
    assert.equal(
      joinContinuation('```ts\nconst a = 1;', '\n~~~typescript\nconst b = 2;\n```'),
      '```ts\nconst a = 1;\nconst b = 2;\n```',
    );
  });

  it('keeps a bare fence first: it closes the block', () => {
    const joined = joinContinuation('```ts\nconst a = 1;\n', '```\nDone.');
    assert.equal(joined, '```ts\nconst a = 1;\n```\nDone.');
    assert.deepEqual(extractProposal(joined, 'end_turn'), { kind: 'code', code: 'const a = 1;' });
  });
});
