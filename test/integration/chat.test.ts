import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createParticipantHandler, PARTICIPANT_ID } from '../../src/chat/chatParticipant';
import { CHAT_HISTORY_KEY, CHAT_STATE_KEY, ChatStore } from '../../src/chat/chatStore';
import type { ChatStateReport } from '../../src/chat/registerChat';
import { note } from './support/reportFile';
import { pacerApi, TEST_ORG, withSimulator } from './support/pacer';
import { waitUntil } from '../support/waitUntil';

/** Simulator limits under which a drained bucket makes the next request wait 60 / requestsPerMinute seconds. */
function slowRequests(requestsPerMinute: number): Record<string, unknown> {
  return {
    organizations: [
      {
        id: TEST_ORG,
        keys: ['sk-ant-sim-itest-key-aaaa1111'],
        limits: {
          default: { requestsPerMinute, inputTokensPerMinute: 1_000_000, outputTokensPerMinute: 400_000 },
        },
      },
    ],
  };
}

function chatState(): Thenable<ChatStateReport> {
  return vscode.commands.executeCommand<ChatStateReport>('claudePacer.chatState');
}

/** A Memento holding one record, for reading a stored conversation the way a reloaded window does. */
function mementoWith(key: string, value: unknown): vscode.Memento {
  const values = new Map<string, unknown>([[key, value]]);
  return {
    keys: () => [...values.keys()],
    get: <T>(k: string, fallback?: T) => (values.has(k) ? (values.get(k) as T) : fallback),
    update: (k: string, v: unknown) => {
      values.set(k, v);
      return Promise.resolve();
    },
  };
}

suite('Chat', function () {
  this.timeout(60_000);

  test('the @claude participant is registered where the chat API exists', async () => {
    await pacerApi();
    const hasChatApi =
      typeof (vscode as { chat?: { createChatParticipant?: unknown } }).chat?.createChatParticipant ===
      'function';
    const state = await chatState();
    if (hasChatApi) assert.equal(state.participantId, PARTICIPANT_ID);
    else
      assert.equal(state.participantId, undefined, 'without the chat API the extension runs without @claude');
    const manifest = vscode.extensions.getExtension('claude-pacer.claude-pacer')?.packageJSON as {
      contributes?: { chatParticipants?: { id: string; name: string }[] };
    };
    assert.deepEqual(
      manifest.contributes?.chatParticipants?.map((p) => [p.id, p.name]),
      [[PARTICIPANT_ID, 'claude']],
    );
    note(
      `chat API ${hasChatApi ? 'present' : 'absent'}; participant ${state.participantId ?? 'not registered'}`,
    );
  });

  test('the participant answers through the scheduler and reports the wait and countdown in its stream', async () => {
    // Drained: 3 s to the next request. The wait is described every second from the 429 on and only
    // while 1 s or more is left, so at 30 per minute (2 s) a tick 20 ms late described nothing.
    const { sim, api, dispose } = await withSimulator(slowRequests(20));
    try {
      sim.drainBuckets(TEST_ORG);
      const recorded: { kind: 'markdown' | 'progress'; value: string }[] = [];
      const stream = {
        markdown: (value: string) => recorded.push({ kind: 'markdown', value }),
        progress: (value: string) => recorded.push({ kind: 'progress', value }),
      };
      const handler = createParticipantHandler(api.service);
      const source = new vscode.CancellationTokenSource();
      const result = await handler(
        { prompt: 'What is a token bucket?' },
        { history: [] },
        stream,
        source.token,
      );
      source.dispose();
      assert.equal(result.metadata?.status, 'completed', JSON.stringify(result));
      const progress = recorded.filter((r) => r.kind === 'progress').map((r) => r.value);
      assert.ok(progress.length > 0, 'the wait was reported');
      assert.match(progress[0]!, /^Waiting for .+ · starts in \d+:\d\d/);
      const answer = recorded
        .filter((r) => r.kind === 'markdown')
        .map((r) => r.value)
        .join('');
      assert.ok(answer.length > 0, 'the answer streamed into the response');
      const firstText = recorded.findIndex((r) => r.kind === 'markdown');
      assert.ok(
        recorded.slice(firstText).every((r) => r.kind === 'markdown'),
        'no progress after text starts',
      );
      assert.ok((sim.stats().requestsByRoute['/v1/messages'] ?? 0) >= 2, 'a 429 first, then the answer');
      note(`progress: ${JSON.stringify(progress)}`);
    } finally {
      await dispose();
    }
  });

  test('a conversation is persisted in workspace state; a queued message is restored with Resume', async () => {
    const { sim, dispose } = await withSimulator(slowRequests(30));
    try {
      await vscode.commands.executeCommand('claudePacer.newChat');
      const first = await vscode.commands.executeCommand<{ messageId: string; status: string; text: string }>(
        'claudePacer.chatAsk',
        'Hello from the integration test',
      );
      assert.equal(first.status, 'completed');
      let state = await chatState();
      assert.deepEqual(
        state.stored?.messages.map((m) => [m.role, m.status]),
        [
          ['user', 'complete'],
          ['assistant', 'complete'],
        ],
      );
      assert.equal(state.stored?.messages[1]?.text, first.text);
      assert.equal(state.stored?.conversationId, state.conversationId);

      // The next message has to wait: while it waits, the stored record says so.
      sim.drainBuckets(TEST_ORG);
      const second = vscode.commands.executeCommand<{ status: string }>(
        'claudePacer.chatAsk',
        'Second question',
      );
      state = await waitUntil(
        async () => {
          const s = await chatState();
          return s.stored?.messages.length === 4 && s.isBusy ? s : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 50, what: 'the queued message in workspace state' },
      );
      assert.equal(state.stored?.messages[3]?.status, 'pending');

      // What a reloaded window reads: the queued answer becomes interrupted, offered for Resume.
      const restored = new ChatStore(mementoWith(CHAT_HISTORY_KEY, state.storedRecord)).load(() => 'unused');
      assert.equal(restored.id, state.conversationId);
      assert.deepEqual(
        restored.turns.map((t) => [t.role, t.status]),
        [
          ['user', 'complete'],
          ['assistant', 'complete'],
          ['user', 'complete'],
          ['assistant', 'interrupted'],
        ],
      );
      assert.match(restored.turns[3]?.note ?? '', /waiting to be sent/);
      assert.equal((await second).status, 'completed', 'the live one still completes after the wait');
    } finally {
      await dispose();
    }
  });

  test('"Claude: Ask…" posts into the chat view', async () => {
    const { dispose } = await withSimulator({});
    try {
      await vscode.commands.executeCommand('claudePacer.newChat');
      const outcome = await vscode.commands.executeCommand<{ messageId: string; status: string }>(
        'claudePacer.ask',
        'Asked from the palette',
      );
      assert.equal(outcome.status, 'completed');
      const state = await chatState();
      assert.equal(state.messages[0]?.text, 'Asked from the palette');
      assert.equal(state.messages[1]?.id, outcome.messageId);
    } finally {
      await dispose();
    }
  });

  test('the history store migrates the single stored conversation, lists newest first and deletes', async () => {
    const legacy = {
      version: 1,
      conversation: {
        id: 'legacy1',
        turns: [
          { id: 'u1', role: 'user', text: 'Old question?', status: 'complete', createdAtMs: 1000 },
          { id: 'a1', role: 'assistant', text: 'Old answer', status: 'streaming', createdAtMs: 1000 },
        ],
      },
    };
    const memento = mementoWith(CHAT_STATE_KEY, legacy);
    const store = new ChatStore(memento);
    const migrated = store.load(() => 'unused');
    assert.equal(migrated.id, 'legacy1');
    assert.equal(migrated.turns[1]?.status, 'interrupted', 'a streaming answer is offered for Resume');
    await store.save({
      id: 'second',
      turns: [{ id: 'u2', role: 'user', text: 'New question?', status: 'complete', createdAtMs: 2000 }],
    });
    assert.equal(memento.get(CHAT_STATE_KEY), undefined, 'the single-conversation record is cleared');
    assert.deepEqual(
      store.list().map((c) => [c.title, c.isCurrent]),
      [
        ['New question?', true],
        ['Old question?', false],
      ],
    );
    await store.delete('legacy1');
    assert.deepEqual(
      store.list().map((c) => c.id),
      ['second'],
    );
    // A reloaded window reads the same history back.
    const reloaded = new ChatStore(mementoWith(CHAT_HISTORY_KEY, store.record()));
    assert.equal(reloaded.load(() => 'unused').id, 'second');
  });
});
