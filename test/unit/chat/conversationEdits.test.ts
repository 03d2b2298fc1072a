import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toMessageViews, type ChatTurn, type Conversation } from '../../../src/chat/model/chatConversation';
import { parseWebviewMessage } from '../../../src/chat/model/chatProtocol';
import {
  answerMarkdown,
  editedAndResent,
  messageActionsOf,
  regenerated,
} from '../../../src/chat/model/conversationEdits';

const T0 = 1_000;

function turn(
  id: string,
  role: ChatTurn['role'],
  text: string,
  status: ChatTurn['status'] = 'complete',
): ChatTurn {
  return { id, role, text, status, createdAtMs: T0 };
}

const selection = {
  kind: 'selection' as const,
  label: 'a.ts:1-3',
  text: 'let a = 1;',
  language: 'typescript',
};
const chat: Conversation = {
  id: 'c1',
  turns: [
    { ...turn('u1', 'user', 'What is a token bucket?'), context: [selection] },
    turn('a1', 'assistant', 'A **bucket** that refills.'),
    turn('u2', 'user', 'And a leaky one?'),
    turn('a2', 'assistant', 'It drains.'),
  ],
};
const start = { nowMs: 5_000, model: 'claude-sonnet-4-6' };

describe('conversation edits', () => {
  it('regenerate replaces the last answer with one pending answer, the question kept', () => {
    const next = regenerated(chat, 'a2', { ...start, answerId: 'a3' });
    assert.deepEqual(
      next?.conversation.turns.map((t) => [t.id, t.status, t.text]),
      [
        ['u1', 'complete', 'What is a token bucket?'],
        ['a1', 'complete', 'A **bucket** that refills.'],
        ['u2', 'complete', 'And a leaky one?'],
        ['a3', 'pending', ''],
      ],
    );
    assert.equal(next?.answerId, 'a3');
    assert.equal(next?.conversation.turns.at(-1)?.model, 'claude-sonnet-4-6');
  });

  it('regenerate refuses an answer that is not the last, one in progress, or a user message', () => {
    assert.equal(regenerated(chat, 'a1', { ...start, answerId: 'x' }), undefined);
    assert.equal(regenerated(chat, 'u2', { ...start, answerId: 'x' }), undefined);
    const streaming = {
      ...chat,
      turns: [...chat.turns.slice(0, 3), turn('a2', 'assistant', 'It d', 'streaming')],
    };
    assert.equal(regenerated(streaming, 'a2', { ...start, answerId: 'x' }), undefined);
    // An answer that ended badly can be regenerated too.
    const stopped = {
      ...chat,
      turns: [...chat.turns.slice(0, 3), turn('a2', 'assistant', 'It d', 'stopped')],
    };
    assert.equal(regenerated(stopped, 'a2', { ...start, answerId: 'x' })?.answerId, 'x');
  });

  it('edit-and-resend cuts the conversation at the edited message, keeps its context, and appends the new exchange', () => {
    const next = editedAndResent(chat, 'u1', {
      ...start,
      text: 'What is a leaky bucket?',
      ids: ['u9', 'a9'],
    });
    assert.deepEqual(
      next?.conversation.turns.map((t) => [t.id, t.role, t.status, t.text]),
      [
        ['u9', 'user', 'complete', 'What is a leaky bucket?'],
        ['a9', 'assistant', 'pending', ''],
      ],
    );
    assert.deepEqual(
      next?.conversation.turns[0]?.context,
      [selection],
      'the edited message keeps its context',
    );
    assert.equal(next?.answerId, 'a9');
    const second = editedAndResent(chat, 'u2', {
      ...start,
      text: 'And a sliding window?',
      ids: ['u9', 'a9'],
    });
    assert.deepEqual(
      second?.conversation.turns.map((t) => t.id),
      ['u1', 'a1', 'u9', 'a9'],
    );
  });

  it('edit-and-resend refuses an unknown or assistant message, blank text, or while an answer is in progress', () => {
    const next = { ...start, text: 'x', ids: ['u9', 'a9'] as const };
    assert.equal(editedAndResent(chat, 'nope', next), undefined);
    assert.equal(editedAndResent(chat, 'a1', next), undefined);
    assert.equal(editedAndResent(chat, 'u1', { ...next, text: '  \n' }), undefined);
    const busy = {
      ...chat,
      turns: [...chat.turns, turn('u3', 'user', 'q'), turn('a3', 'assistant', '', 'pending')],
    };
    assert.equal(editedAndResent(busy, 'u1', next), undefined);
  });

  it('copy takes the answer Markdown as it stands; nothing for a user message or an empty answer', () => {
    assert.equal(answerMarkdown(chat, 'a1'), 'A **bucket** that refills.');
    assert.equal(answerMarkdown(chat, 'u1'), undefined);
    assert.equal(answerMarkdown({ ...chat, turns: [turn('a', 'assistant', '', 'failed')] }, 'a'), undefined);
  });

  it('the page offers copy on answers, regenerate on the last one and edit on questions, only while idle', () => {
    const views = toMessageViews(chat);
    const idle = views.map((_, i) => messageActionsOf(views, i, false));
    assert.deepEqual(idle, [['edit'], ['copy'], ['edit'], ['copy', 'regenerate']]);
    const busy = views.map((_, i) => messageActionsOf(views, i, true));
    assert.deepEqual(busy, [[], ['copy'], [], ['copy']]);
    const streaming = toMessageViews({
      ...chat,
      turns: [...chat.turns, turn('u3', 'user', 'q'), turn('a3', 'assistant', 'par', 'streaming')],
    });
    assert.deepEqual(messageActionsOf(streaming, 5, false), [], 'no copy of a streaming answer');
    assert.deepEqual(messageActionsOf(streaming, 0, false), [], 'no edit while an answer streams');
  });

  it('the page messages are validated', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'regenerate', messageId: 'a2' }), {
      type: 'regenerate',
      messageId: 'a2',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'resend', messageId: 'u1', text: 'again' }), {
      type: 'resend',
      messageId: 'u1',
      text: 'again',
    });
    assert.equal(parseWebviewMessage({ type: 'resend', messageId: 'u1', text: ' ' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'copyAnswer', messageId: '../x' }), undefined);
  });
});
