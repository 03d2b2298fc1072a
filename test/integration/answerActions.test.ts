import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseWebviewMessage } from '../../src/chat/model/chatProtocol';
import { routePageMessage } from '../../src/chat/pageMessages';
import type { ClaudePacerApi } from '../../src/extension';
import { withSimulator } from './support/pacer';
import { note } from './support/reportFile';

/** A raw message as the chat page posts it, through the same validator and router as the view's. */
async function fromPage(api: ClaudePacerApi, raw: unknown): Promise<void> {
  const message = parseWebviewMessage(raw);
  assert.ok(message, `the validator accepts ${JSON.stringify(raw)}`);
  await routePageMessage(api.chat, api.agent.chat, message);
}

function turns(api: ClaudePacerApi): string[] {
  return api.chat.conversation.turns.map(
    (t) => `${t.role}:${t.status}${t.role === 'user' ? `:${t.text}` : ''}`,
  );
}

suite('Chat answer actions', function () {
  this.timeout(60_000);

  test('regenerate and edit-and-resend each send one request, even when pressed twice', async () => {
    const { sim, api, dispose } = await withSimulator({});
    const sent = (): number => sim.stats().requestsByRoute['/v1/messages'] ?? 0;
    try {
      await vscode.commands.executeCommand('claudePacer.newChat');
      await fromPage(api, { type: 'send', text: 'What is a token bucket?' });
      const before = sent();
      const firstAnswer = api.chat.conversation.turns.at(-1)!;
      assert.equal(firstAnswer.status, 'complete');

      // Two presses of Regenerate: the first replaces the answer, the second finds an answer in progress.
      await Promise.all([
        fromPage(api, { type: 'regenerate', messageId: firstAnswer.id }),
        fromPage(api, { type: 'regenerate', messageId: firstAnswer.id }),
      ]);
      assert.equal(sent(), before + 1, 'one request for two presses');
      assert.deepEqual(turns(api), ['user:complete:What is a token bucket?', 'assistant:complete']);
      assert.notEqual(
        api.chat.conversation.turns.at(-1)!.id,
        firstAnswer.id,
        'a new answer replaced the old',
      );

      // A stale Regenerate (the answer it named is gone) sends nothing.
      await fromPage(api, { type: 'regenerate', messageId: firstAnswer.id });
      assert.equal(sent(), before + 1);

      const question = api.chat.conversation.turns[0]!;
      await Promise.all([
        fromPage(api, { type: 'resend', messageId: question.id, text: 'What is a leaky bucket?' }),
        fromPage(api, { type: 'resend', messageId: question.id, text: 'What is a leaky bucket?' }),
      ]);
      assert.equal(sent(), before + 2, 'one request for the resend pressed twice');
      assert.deepEqual(turns(api), ['user:complete:What is a leaky bucket?', 'assistant:complete']);

      const answer = api.chat.conversation.turns.at(-1)!;
      await fromPage(api, { type: 'copyAnswer', messageId: answer.id });
      const copied = await vscode.env.clipboard.readText();
      note(
        `${sent()} requests; clipboard ${copied === answer.text ? 'holds the answer' : `holds "${copied.slice(0, 40)}"`}`,
      );
      assert.equal(copied, answer.text, 'Copy wrote the answer Markdown to the clipboard');
    } finally {
      await dispose();
    }
  });
});
