import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startScriptedReplyServer } from '../ui/chatServers';
import { pacerApi, withSimulator } from './support/pacer';

const CODE = 'function add(a, b) {\n  return a - b;\n}';
// In parts, so secret scanners do not flag a fixture.
const KEY = ['sk-ant-sim', 'itest-nocode-key-bbbb2222'].join('-');

async function selectAllOf(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content });
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(
    0,
    0,
    document.lineCount - 1,
    document.lineAt(document.lineCount - 1).text.length,
  );
  return editor;
}

/** The open Markdown answer document holding `text`, if any. */
function answerHolding(text: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find(
    (d) => d.languageId === 'markdown' && d.getText().includes(text),
  );
}

suite('An edit command whose reply holds no whole code block proposes no edit', function () {
  this.timeout(60_000);

  test('a prose reply to Fix Selection is shown as an answer, and nothing is proposed', async () => {
    const api = await pacerApi();
    const prose = 'Change the minus to a plus in the return statement; nothing else needs to change.';
    const server = await startScriptedReplyServer(prose);
    const config = vscode.workspace.getConfiguration('claudePacer');
    try {
      await config.update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
      await api.service.keys.removeAll();
      await api.service.keys.add(KEY, 'itest no code');
      const before = api.proposals.active();
      const editor = await selectAllOf(CODE);
      const result = await vscode.commands.executeCommand<{ status: string; text: string }>(
        'claudePacer.fixSelection',
      );
      assert.equal(result.status, 'completed');
      assert.equal(result.text, prose);
      assert.equal(api.proposals.active(), before, 'no proposal');
      assert.ok(answerHolding(prose), 'the reply is shown as an answer');
      assert.equal(editor.document.getText(), CODE);
      const sent = server.requests.filter(
        (r) => r.method === 'POST' && r.path.split('?')[0] === '/v1/messages',
      );
      assert.equal(sent.length, 1, 'one Messages request');
    } finally {
      await api.service.keys.removeAll();
      await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
      await server.close();
    }
  });

  test('a Fix reply cut off inside its code block (max_tokens) proposes nothing and opens no tab unasked', async () => {
    const { api, sim, dispose } = await withSimulator({});
    const config = vscode.workspace.getConfiguration('claudePacer');
    try {
      await config.update('maxOutputTokens', 6, vscode.ConfigurationTarget.Global);
      const before = api.proposals.active();
      await selectAllOf(CODE);
      const result = await vscode.commands.executeCommand<{
        status: string;
        text: string;
        stopReason: string;
      }>('claudePacer.fixSelection');
      assert.equal(result.status, 'completed');
      assert.equal(result.stopReason, 'max_tokens');
      assert.match(result.text, /^```javascript\n/, 'the reply opened a code block');
      assert.equal(api.proposals.active(), before, 'no proposal from half a block');
      assert.equal(answerHolding(result.text.trim()), undefined, 'the partial reply waits for Show Answer');
      assert.equal(sim.stats().records.at(-1)?.outputTokens, 6);
    } finally {
      await config.update('maxOutputTokens', undefined, vscode.ConfigurationTarget.Global);
      await dispose();
    }
  });
});
