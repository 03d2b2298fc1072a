import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseWebviewMessage } from '../../src/chat/model/chatProtocol';
import { routePageMessage } from '../../src/chat/pageMessages';
import type { ClaudePacerApi } from '../../src/extension';
import { waitUntil } from '../support/waitUntil';
import { TEST_ORG, withSimulator } from './support/pacer';
import { note } from './support/reportFile';

/** Simulator limits under which each request after the first waits 60 / requestsPerMinute seconds. */
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

/** A raw message as the chat page posts it, through the same validator and router as the view's. */
async function fromPage(api: ClaudePacerApi, raw: unknown): Promise<void> {
  const message = parseWebviewMessage(raw);
  assert.ok(message, `the validator accepts ${JSON.stringify(raw)}`);
  await routePageMessage(api.chat, api.agent.chat, message);
}

function userTexts(api: ClaudePacerApi): string[] {
  return api.chat.conversation.turns.filter((t) => t.role === 'user').map((t) => t.text);
}

function queuedTexts(api: ClaudePacerApi): string[] {
  return api.chat.followUps.messages.map((m) => m.text);
}

suite('Chat follow-ups queue', function () {
  this.timeout(150_000);

  test('messages sent while an answer is in progress wait, can be cancelled, and go in order after it', async () => {
    const { sim, api, dispose } = await withSimulator(slowRequests(120)); // drained: 0.5 s to each next request
    try {
      await vscode.commands.executeCommand('claudePacer.newChat');
      sim.drainBuckets(TEST_ORG);
      const first = fromPage(api, { type: 'send', text: 'first' });
      await waitUntil(() => api.chat.isBusy || undefined, { timeoutMs: 5_000, intervalMs: 20, what: 'busy' });
      await fromPage(api, { type: 'send', text: 'second' });
      await fromPage(api, { type: 'send', text: 'third' });
      await fromPage(api, { type: 'send', text: 'fourth' });
      assert.deepEqual(queuedTexts(api), ['second', 'third', 'fourth']);
      assert.deepEqual(userTexts(api), ['first'], 'queued messages are not in the conversation yet');
      const third = api.chat.followUps.messages[1]!;
      await fromPage(api, { type: 'cancelQueued', messageId: third.id });
      assert.deepEqual(queuedTexts(api), ['second', 'fourth']);
      await first;
      await waitUntil(
        () => {
          const turns = api.chat.conversation.turns;
          return !api.chat.isBusy && turns.length === 6 && turns.every((t) => t.status === 'complete')
            ? turns
            : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 50, what: 'the queued messages answered' },
      );
      assert.deepEqual(
        userTexts(api),
        ['first', 'second', 'fourth'],
        'in order, the cancelled one never sent',
      );
      assert.deepEqual(queuedTexts(api), []);
      note(`sent in order: ${userTexts(api).join(', ')}`);
    } finally {
      await dispose();
    }
  });

  test('an answer that does not complete pauses the queue without dropping it; a new message resumes it; New chat clears it', async () => {
    const { sim, api, dispose } = await withSimulator(slowRequests(120));
    try {
      await vscode.commands.executeCommand('claudePacer.newChat');
      sim.drainBuckets(TEST_ORG);
      const first = fromPage(api, { type: 'send', text: 'first' });
      await waitUntil(() => api.chat.isBusy || undefined, { timeoutMs: 5_000, intervalMs: 20, what: 'busy' });
      await fromPage(api, { type: 'send', text: 'second' });
      await fromPage(api, { type: 'stop' });
      await first;
      assert.equal(api.chat.isBusy, false, 'nothing was sent after the stopped answer');
      assert.deepEqual(api.chat.followUps, { messages: api.chat.followUps.messages, isPaused: true });
      assert.deepEqual(queuedTexts(api), ['second']);
      assert.equal(api.chat.conversation.turns.at(-1)?.status, 'stopped');

      // Sending again resumes the queue: the waiting message first, the new one after it.
      await fromPage(api, { type: 'send', text: 'third' });
      assert.deepEqual(queuedTexts(api), ['third']);
      // A hang guard, not a speed bound: on a drained 30-per-minute bucket a 429 once cooled the pool
      // for an estimated 39 s on a clean-clone run (retry-after said 2 s), and 30 s cut the wait short.
      await waitUntil(() => (!api.chat.isBusy && userTexts(api).length === 3 ? true : undefined), {
        timeoutMs: 90_000,
        intervalMs: 50,
        what: 'the resumed queue answered',
      });
      assert.deepEqual(userTexts(api), ['first', 'second', 'third']);

      // New chat stops the answer in progress and drops what waits.
      sim.drainBuckets(TEST_ORG);
      const fourth = fromPage(api, { type: 'send', text: 'fourth' });
      await waitUntil(() => api.chat.isBusy || undefined, { timeoutMs: 5_000, intervalMs: 20, what: 'busy' });
      await fromPage(api, { type: 'send', text: 'fifth' });
      assert.deepEqual(queuedTexts(api), ['fifth']);
      await fromPage(api, { type: 'newChat' });
      await fourth;
      assert.deepEqual(api.chat.followUps, { messages: [], isPaused: false });
      assert.deepEqual(api.chat.conversation.turns, []);
      assert.equal(api.chat.isBusy, false);
    } finally {
      await dispose();
    }
  });
});
