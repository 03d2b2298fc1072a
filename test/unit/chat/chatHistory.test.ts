import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ChatTurn, Conversation } from '../../../src/chat/model/chatConversation';
import {
  capped,
  conversationById,
  currentOf,
  historyOf,
  MAX_CONVERSATIONS,
  MAX_HISTORY_CHARS,
  MAX_TITLE_CHARS,
  resumed,
  summaries,
  titleOf,
  withConversation,
  withoutConversation,
  type ChatHistory,
} from '../../../src/chat/model/chatHistory';
import {
  loadHistory,
  parsePersistedHistory,
  toPersistedHistory,
} from '../../../src/chat/model/chatHistoryPersistence';
import { toPersisted } from '../../../src/chat/model/chatPersistence';
import { conversationMarkdown, exportFileName } from '../../../src/chat/model/conversationMarkdown';

function turn(
  id: string,
  role: 'user' | 'assistant',
  text: string,
  atMs: number,
  extra: Partial<ChatTurn> = {},
): ChatTurn {
  return { id, role, text, status: 'complete', createdAtMs: atMs, ...extra };
}

/** A conversation with one question asked at `atMs` and its answer. */
function asked(conversationId: string, question: string, atMs: number, answer = 'An answer.'): Conversation {
  return {
    id: conversationId,
    turns: [
      turn(`${conversationId}u`, 'user', question, atMs),
      turn(`${conversationId}a`, 'assistant', answer, atMs),
    ],
  };
}

const empty = (conversationId: string): Conversation => ({ id: conversationId, turns: [] });

void describe('chat history', () => {
  void it('creates: a new chat is shown but listed only once it has a question', () => {
    let history = historyOf(asked('c1', 'First?', 1000));
    history = withConversation(history, empty('c2'));
    assert.equal(history.currentId, 'c2');
    assert.deepEqual(
      summaries(history).map((s) => [s.id, s.title, s.isCurrent]),
      [
        ['c1', 'First?', false],
        ['c2', 'New chat', true],
      ],
    );
    // Leaving the empty chat drops it.
    history = resumed(history, 'c1');
    assert.deepEqual(
      summaries(history).map((s) => s.id),
      ['c1'],
    );
  });

  void it('titles a conversation from its first question: first line, whitespace collapsed, cut', () => {
    assert.equal(titleOf(asked('c', '\n\n  How   does\tthis work?\nMore detail', 1)), 'How does this work?');
    const long = titleOf(asked('c', 'x'.repeat(200), 1));
    assert.equal(long.length, MAX_TITLE_CHARS);
    assert.ok(long.endsWith('…'));
    assert.equal(titleOf(empty('c')), 'New chat');
  });

  void it('lists newest first by last activity, the current one marked', () => {
    let history = historyOf(asked('old', 'Old?', 1000));
    history = withConversation(history, asked('new', 'New?', 3000));
    history = withConversation(history, asked('mid', 'Mid?', 2000));
    const list = summaries(history);
    assert.deepEqual(
      list.map((s) => s.id),
      ['new', 'mid', 'old'],
    );
    assert.deepEqual(
      list.map((s) => s.isCurrent),
      [false, true, false],
    );
    assert.equal(list[0]?.questions, 1);
  });

  void it('resumes a stored conversation; an unknown id changes nothing', () => {
    let history = historyOf(asked('a', 'A?', 1));
    history = withConversation(history, asked('b', 'B?', 2));
    history = resumed(history, 'a');
    assert.equal(currentOf(history).id, 'a');
    assert.equal(currentOf(history).turns[0]?.text, 'A?');
    assert.equal(resumed(history, 'nope'), history);
  });

  void it('deletes: another conversation is shown after deleting the current one, a new one after the last', () => {
    let history = historyOf(asked('a', 'A?', 1));
    history = withConversation(history, asked('b', 'B?', 2));
    history = withoutConversation(history, 'a', () => 'x');
    assert.deepEqual(
      history.conversations.map((c) => c.id),
      ['b'],
    );
    assert.equal(history.currentId, 'b');
    history = withoutConversation(history, 'b', () => 'fresh');
    assert.equal(history.currentId, 'fresh');
    assert.deepEqual(currentOf(history).turns, []);
    assert.equal(conversationById(history, 'b'), undefined);
  });

  void it(`keeps at most ${MAX_CONVERSATIONS} conversations and ${MAX_HISTORY_CHARS} characters, dropping the oldest, never the current`, () => {
    let history: ChatHistory = historyOf(asked('c0', 'Q0', 0));
    for (let i = 1; i <= MAX_CONVERSATIONS + 5; i++)
      history = withConversation(history, asked(`c${i}`, `Q${i}`, i));
    assert.equal(history.conversations.length, MAX_CONVERSATIONS);
    assert.equal(conversationById(history, 'c0'), undefined, 'the oldest went first');
    // An old conversation shown again is kept even though it is the oldest.
    const oldest = history.conversations.at(-1)!;
    history = capped({ ...history, currentId: oldest.id });
    assert.ok(conversationById(history, oldest.id));
    // Size: a big current conversation pushes older ones out, and is itself kept.
    const big = asked('big', 'Big?', 10_000, 'y'.repeat(MAX_HISTORY_CHARS - 10));
    history = withConversation(history, big);
    assert.equal(history.currentId, 'big');
    const size = history.conversations.reduce(
      (n, c) => n + c.turns.reduce((m, t) => m + t.text.length, 0),
      0,
    );
    assert.ok(size <= MAX_HISTORY_CHARS, `${size} characters kept`);
    assert.ok(history.conversations.length < MAX_CONVERSATIONS);
  });

  void it('property: the current conversation is always kept and ids stay unique', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 1e6 })), {
          maxLength: 120,
        }),
        (steps) => {
          let history = historyOf(empty('start'));
          for (const [n, atMs] of steps) history = withConversation(history, asked(`c${n}`, `Q${n}`, atMs));
          const ids = history.conversations.map((c) => c.id);
          assert.equal(new Set(ids).size, ids.length);
          assert.ok(ids.includes(history.currentId));
          assert.ok(ids.length <= MAX_CONVERSATIONS);
        },
      ),
    );
  });

  void it('exports as Markdown: title, who said what, attached code fenced safely, notes', () => {
    const conversation: Conversation = {
      id: 'c',
      turns: [
        turn('u', 'user', 'Why ``` here?', 1, {
          context: [
            { kind: 'selection', label: 'src/a.ts:1-2', text: 'const s = "```";', language: 'typescript' },
          ],
        }),
        turn('a', 'assistant', 'Because.', 2, {
          model: 'claude-sonnet-4-6',
          status: 'interrupted',
          note: 'Cut off.',
        }),
      ],
    };
    assert.equal(
      conversationMarkdown(conversation),
      '# Why ``` here?\n\n## You\n\n`src/a.ts:1-2`\n\n````typescript\nconst s = "```";\n````\n\nWhy ``` here?\n\n' +
        '## Claude (claude-sonnet-4-6)\n\nBecause.\n\n*(Cut off.)*\n',
    );
    assert.equal(exportFileName(asked('c', 'What is a/b: "x"?', 1)), 'What is a b x.md');
    assert.equal(exportFileName(asked('c', '...', 1)), 'chat.md');
  });

  void it('persists and reads back; a malformed conversation is skipped, not the whole history', () => {
    let history = historyOf(asked('a', 'A?', 1));
    history = withConversation(history, asked('b', 'B?', 2));
    const record = toPersistedHistory(history);
    assert.deepEqual(parsePersistedHistory(JSON.parse(JSON.stringify(record))), history);
    const damaged = { ...record, conversations: [record.conversations[0], { version: 1, conversation: 42 }] };
    assert.deepEqual(
      parsePersistedHistory(damaged)?.conversations.map((c) => c.id),
      ['b'],
    );
    assert.equal(parsePersistedHistory({ ...record, version: 99 }), undefined);
    assert.equal(parsePersistedHistory({ ...record, currentId: '../x' }), undefined);
  });

  void it('migrates the single conversation stored before the history; interrupted answers offer Resume', () => {
    const legacy = toPersisted({
      id: 'old',
      turns: [turn('u', 'user', 'Q?', 1), turn('a', 'assistant', 'Part', 2, { status: 'streaming' })],
    });
    const history = loadHistory({ history: undefined, legacyConversation: legacy }, () => 'new');
    assert.equal(history.currentId, 'old');
    assert.equal(currentOf(history).turns[1]?.status, 'interrupted');
    // A history, when there is one, wins over the legacy record.
    const stored = toPersistedHistory(historyOf(asked('h', 'H?', 5)));
    assert.equal(loadHistory({ history: stored, legacyConversation: legacy }, () => 'new').currentId, 'h');
    assert.equal(loadHistory({ history: 'junk', legacyConversation: null }, () => 'new').currentId, 'new');
  });
});
