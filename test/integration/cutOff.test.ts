import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  createParticipantHandler,
  CUT_OFF_STATUS,
  participantFollowups,
} from '../../src/chat/chatParticipant';
import { CONTINUE_PROMPT } from '../../src/chat/model/chatRequest';
import type { ChatStateReport } from '../../src/chat/registerChat';
import { continueCutOffEdit } from '../../src/commands/editReplies';
import { selectionRequest } from '../../src/commands/model/editPrompts';
import { startScriptedReplyServer } from '../ui/chatServers';
import { waitUntil } from '../support/waitUntil';
import { pacerApi, withSimulator } from './support/pacer';
import { note } from './support/reportFile';

// In parts, so secret scanners do not flag a fixture.
const KEY = ['sk-ant-sim', 'itest-cutoff-key-cccc3333'].join('-');
const CODE = 'function add(a, b) {\n  return a - b;\n}';
const CUT_NOTE = /^Cut off at the output limit \(claudePacer\.maxOutputTokens\)/;

/** Runs `body` with answers limited to `maxOutputTokens` (the simulator's replies are 5–12 tokens). */
async function withOutputLimit(maxOutputTokens: number, body: () => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration('claudePacer');
  await config.update('maxOutputTokens', maxOutputTokens, vscode.ConfigurationTarget.Global);
  try {
    await body();
  } finally {
    await config.update('maxOutputTokens', undefined, vscode.ConfigurationTarget.Global);
  }
}

suite('An answer cut off at the output limit is said to be cut off, with Continue', function () {
  this.timeout(60_000);

  test('in the chat view: interrupted, with a note, so the page offers Continue', async () => {
    const { dispose } = await withSimulator({});
    try {
      await withOutputLimit(3, async () => {
        await vscode.commands.executeCommand('claudePacer.newChat');
        const outcome = await vscode.commands.executeCommand<{ status: string; text: string }>(
          'claudePacer.chatAsk',
          'Tell me about token buckets',
        );
        assert.equal(outcome.status, 'completed');
        const state = await vscode.commands.executeCommand<ChatStateReport>('claudePacer.chatState');
        const answer = state.messages[1];
        assert.equal(answer?.status, 'interrupted');
        assert.match(answer?.note ?? '', CUT_NOTE);
        assert.equal(answer?.text, outcome.text);
        note(`chat note: ${answer?.note ?? ''}`);
      });
    } finally {
      await dispose();
    }
  });

  test('in @claude: the stream ends with the note and Continue is offered as a follow-up', async () => {
    const { api, dispose } = await withSimulator({});
    try {
      await withOutputLimit(3, async () => {
        let markdown = '';
        const stream = { markdown: (v: string) => (markdown += v), progress: () => undefined };
        const source = new vscode.CancellationTokenSource();
        const result = await createParticipantHandler(api.service)(
          { prompt: 'Tell me about token buckets' },
          { history: [] },
          stream,
          source.token,
        );
        source.dispose();
        assert.equal(result.metadata?.status, CUT_OFF_STATUS);
        assert.match(markdown, /\*\(Cut off at the output limit \(claudePacer\.maxOutputTokens\)[^)]*\)\*$/);
        assert.deepEqual(
          participantFollowups(result).map((f) => f.prompt),
          [CONTINUE_PROMPT],
        );
        assert.deepEqual(participantFollowups({ metadata: { status: 'completed' } }), []);
      });
    } finally {
      await dispose();
    }
  });

  test('an edit cut off inside its block proposes nothing; Continue finishes the block and proposes it', async () => {
    const first = '```javascript\nfunction add(a, b) {\n';
    const server = await startScriptedReplyServer([
      { text: first, stopReason: 'max_tokens' },
      { text: '```javascript\n  return a + b;\n}\n```', stopReason: 'end_turn' },
    ]);
    const api = await pacerApi();
    const config = vscode.workspace.getConfiguration('claudePacer');
    try {
      await config.update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
      await api.service.keys.removeAll();
      await api.service.keys.add(KEY, 'itest cut off');
      const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: CODE });
      const editor = await vscode.window.showTextDocument(document);
      const range = new vscode.Range(0, 0, 2, 1);
      editor.selection = new vscode.Selection(range.start, range.end);
      const before = api.proposals.active();
      const result = await vscode.commands.executeCommand<{
        status: string;
        text: string;
        stopReason: string;
      }>('claudePacer.fixSelection');
      assert.equal(result.stopReason, 'max_tokens');
      assert.equal(api.proposals.active(), before, 'no proposal from half a block');

      // What the notification's Continue runs.
      const request = selectionRequest(
        'fix',
        { languageId: 'javascript', fileName: 'untitled', code: CODE },
        api.service.settings.model,
        api.service.settings.maxOutputTokens,
      );
      const job = {
        title: 'Fix Selection',
        isNewFile: false,
        document,
        range,
        version: document.version,
        originalText: CODE,
        request,
        lane: 'command' as const,
      };
      void continueCutOffEdit(api.service, api.proposals, {
        job,
        replyText: result.text,
        stopReason: 'max_tokens',
      });
      const proposal = await waitUntil(
        () => {
          const active = api.proposals.active();
          return active && active !== before ? active : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 50, what: 'the continued proposal' },
      );
      assert.equal(proposal.proposedText, 'function add(a, b) {\n  return a + b;\n}');
      const sent = server.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/messages'));
      assert.equal(sent.length, 2, 'the reply, then its continuation');
      assert.match(sent[1]?.body ?? '', /Continue exactly where you stopped/);
      await api.proposals.reject(proposal.id);
      assert.equal(document.getText(), CODE);
    } finally {
      await api.service.keys.removeAll();
      await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
      await server.close();
    }
  });
});
