import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessageView } from '../../../src/chat/model/chatProtocol';
import {
  AnswerAnnouncer,
  answerAnnouncement,
  firstSentence,
} from '../../../src/chat/model/answerAnnouncement';
import { ENGLISH_PAGE_STRINGS as EN } from '../../../src/chat/model/pageStrings';

function answer(id: string, status: ChatMessageView['status'], text = '', note?: string): ChatMessageView {
  return { id, role: 'assistant', text, status, ...(note ? { note } : {}) };
}

describe('answer announcements', () => {
  it('reads the first sentence of a finished answer, in plain words', () => {
    const text =
      '## Token buckets\n\nA **token bucket** refills at a [steady rate](https://x.test). It also bursts.';
    assert.equal(
      answerAnnouncement(answer('a', 'complete', text), EN),
      'Claude answered: Token buckets A token bucket refills at a steady rate.',
    );
    assert.equal(firstSentence('```ts\nconst a = 1;\n```'), 'const a = 1;');
    assert.equal(firstSentence('x'.repeat(500)).length, 140);
  });

  it('says why an answer stopped', () => {
    const cut = 'Cut off at the output limit (claudePacer.maxOutputTokens): the answer is incomplete.';
    assert.equal(answerAnnouncement(answer('a', 'interrupted', 'Half', cut), EN), `Answer stopped: ${cut}`);
    assert.equal(answerAnnouncement(answer('a', 'failed'), EN), 'Answer stopped: Failed');
    assert.equal(answerAnnouncement(answer('a', 'streaming', 'So far.'), EN), undefined);
  });

  it('announces each answer once, when it ends after the page saw it in progress; never a reloaded one', () => {
    const announcer = new AnswerAnnouncer();
    const user: ChatMessageView = { id: 'u', role: 'user', text: 'Hi', status: 'complete' };
    assert.deepEqual(announcer.observe([user, answer('old', 'complete', 'Loaded.')], EN), []);
    assert.deepEqual(announcer.observe([answer('a', 'pending')], EN), []);
    assert.deepEqual(announcer.observe([answer('a', 'streaming', 'Hel')], EN), []);
    assert.deepEqual(announcer.observe([answer('a', 'complete', 'Hello there. More.')], EN), [
      'Claude answered: Hello there.',
    ]);
    // The same finished answer again (a full state after it) is not read out twice.
    assert.deepEqual(announcer.observe([user, answer('a', 'complete', 'Hello there. More.')], EN), []);
  });
});
