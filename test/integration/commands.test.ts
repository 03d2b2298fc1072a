import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { presentStatus } from '../../src/status/model/statusPresentation';
import { withSimulator } from './support/pacer';
import { waitUntil } from '../support/waitUntil';

/**
 * Shows a document, retrying: right after a diff editor closes, code-server's workbench sometimes
 * refuses to open an editor for a moment ("Could NOT open editor").
 */
async function show(document: vscode.TextDocument): Promise<vscode.TextEditor> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.window.showTextDocument(document);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** How many untitled editors are open. */
function untitledTabs(): number {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'untitled').length;
}

async function openEditor(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'typescript', content });
  const editor = await show(document);
  editor.selection = new vscode.Selection(
    0,
    0,
    document.lineCount - 1,
    document.lineAt(document.lineCount - 1).text.length,
  );
  return editor;
}

suite('Commands end to end against the simulator', function () {
  this.timeout(60_000);

  test('Claude: Ask posts into the chat view and the answer streams in there', async () => {
    const { sim, dispose } = await withSimulator({});
    try {
      const result = await vscode.commands.executeCommand<{
        status: string;
        text: string;
        messageId: string;
      }>('claudePacer.ask', 'What is a token bucket?');
      assert.equal(result.status, 'completed');
      assert.ok(result.text.length > 0);
      const state = await vscode.commands.executeCommand<{ messages: Array<{ role: string; text: string }> }>(
        'claudePacer.chatState',
      );
      const last = state.messages.slice(-2);
      assert.deepEqual(
        last.map((m) => m.role),
        ['user', 'assistant'],
      );
      assert.equal(last[0]?.text, 'What is a token bucket?');
      assert.equal(last[1]?.text, result.text);
      assert.equal(sim.stats().requestsByRoute['/v1/messages'], 1, 'exactly one HTTP request');
    } finally {
      await dispose();
    }
  });

  test('Explain Selection answers in the chat with the selection as a chip, no untitled tab; Fix Selection proposes a diff that Accept applies', async () => {
    const { api, dispose } = await withSimulator({});
    try {
      await vscode.commands.executeCommand('claudePacer.newChat');
      const editor = await openEditor('function add(a, b) {\n  return a - b;\n}');
      const problems = vscode.languages.createDiagnosticCollection('explain-check');
      problems.set(editor.document.uri, [
        new vscode.Diagnostic(new vscode.Range(1, 2, 1, 15), 'add subtracts', vscode.DiagnosticSeverity.Warning),
      ]);
      const untitledBefore = untitledTabs();
      const explained = await Promise.resolve(
        vscode.commands.executeCommand<{ status: string; text: string }>('claudePacer.explainSelection'),
      ).finally(() => problems.dispose());
      assert.equal(explained.status, 'completed');
      assert.equal(untitledTabs(), untitledBefore, 'no new untitled tab');
      const state = await vscode.commands.executeCommand<{
        messages: Array<{ role: string; text: string; context?: Array<{ kind: string; label: string }> }>;
      }>('claudePacer.chatState');
      const [question, answer] = state.messages.slice(-2);
      assert.match(question?.text ?? '', /Explain/);
      assert.deepEqual(
        question?.context?.map((c) => [c.kind, c.label.replace(/^.*:/, '')]),
        [
          ['selection', '1-3'],
          ['problems', '1-3'],
        ],
        'the selection and the Problems inside it ride as chips',
      );
      assert.equal(answer?.text, explained.text);
      const again = await show(editor.document);
      again.selection = new vscode.Selection(0, 0, 2, 1);
      void vscode.commands.executeCommand('claudePacer.fixSelection');
      const proposal = await waitUntil(() => api.proposals.active(), {
        timeoutMs: 15_000,
        intervalMs: 20,
        what: 'a proposal',
      });
      assert.equal(proposal.originalText, 'function add(a, b) {\n  return a - b;\n}');
      const diff = await waitUntil(
        () =>
          vscode.window.tabGroups.all
            .flatMap((g) => g.tabs)
            .find((t) => t.input instanceof vscode.TabInputTextDiff),
        { timeoutMs: 5000, intervalMs: 20, what: 'the diff editor' },
      );
      assert.match(diff.label, /Claude's proposal/);
      assert.equal(
        await vscode.commands.executeCommand('claudePacer.acceptProposal', proposal.id),
        'applied',
      );
      assert.equal(editor.document.getText(), proposal.proposedText);
    } finally {
      await dispose();
    }
  });

  test('Write Tests proposes a new test file beside the source through the review; Accept creates it', async () => {
    const { api, dispose } = await withSimulator({});
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the suite runs with a workspace folder');
      const source = vscode.Uri.joinPath(folder.uri, `adder${Date.now().toString(36)}.ts`);
      await vscode.workspace.fs.writeFile(
        source,
        new TextEncoder().encode('export function add(a: number, b: number) {\n  return a + b;\n}\n'),
      );
      const editor = await show(await vscode.workspace.openTextDocument(source));
      editor.selection = new vscode.Selection(0, 0, 2, 1);
      const untitledBefore = untitledTabs();
      void vscode.commands.executeCommand('claudePacer.writeTests');
      const proposal = await waitUntil(() => api.proposals.active(), {
        timeoutMs: 15_000,
        intervalMs: 20,
        what: 'the test file proposal',
      });
      assert.equal(proposal.isNewFile, true);
      assert.equal(proposal.target.path, source.path.replace(/\.ts$/, '.test.ts'));
      assert.equal(proposal.originalText, '');
      assert.equal(untitledTabs(), untitledBefore, 'no untitled tab');
      assert.equal(
        await vscode.commands.executeCommand('claudePacer.acceptProposal', proposal.id),
        'applied',
      );
      const written = new TextDecoder().decode(await vscode.workspace.fs.readFile(proposal.target));
      assert.equal(written, proposal.proposedText);
      assert.ok(written.length > 0);
    } finally {
      await dispose();
    }
  });

  test('Reject leaves the text alone; a proposal for text that changed meanwhile is never applied', async () => {
    const { api, dispose } = await withSimulator({});
    try {
      const editor = await openEditor('let x = 1;\nlet y = 2;');
      void vscode.commands.executeCommand('claudePacer.addDocumentation');
      const first = await waitUntil(() => api.proposals.active(), {
        timeoutMs: 15_000,
        intervalMs: 20,
        what: 'a proposal',
      });
      assert.equal(await vscode.commands.executeCommand('claudePacer.rejectProposal', first.id), 'rejected');
      assert.equal(editor.document.getText(), 'let x = 1;\nlet y = 2;');

      const again = await show(editor.document);
      again.selection = new vscode.Selection(0, 0, 1, 10);
      void vscode.commands.executeCommand('claudePacer.fixSelection');
      const second = await waitUntil(
        () => (api.proposals.active()?.id !== first.id ? api.proposals.active() : undefined),
        { timeoutMs: 15_000, intervalMs: 20, what: 'a second proposal' },
      );
      const edit = new vscode.WorkspaceEdit();
      edit.insert(editor.document.uri, new vscode.Position(0, 0), '// edited meanwhile\n');
      await vscode.workspace.applyEdit(edit);
      assert.equal(await vscode.commands.executeCommand('claudePacer.acceptProposal', second.id), 'stale');
      assert.equal(editor.document.getText(), '// edited meanwhile\nlet x = 1;\nlet y = 2;');
    } finally {
      await dispose();
    }
  });

  test('settings changes reach the scheduler live (requests in flight)', async () => {
    const { api, dispose } = await withSimulator({
      reply: { minOutputTokens: 40, maxOutputTokens: 40, tokensPerSecond: 200 },
    });
    try {
      await vscode.workspace
        .getConfiguration('claudePacer')
        .update('maxRequestsInFlight', 1, vscode.ConfigurationTarget.Global);
      await waitUntil(() => api.service.settings.maxRequestsInFlight === 1, {
        timeoutMs: 5000,
        intervalMs: 20,
        what: 'the setting',
      });
      const handles = [1, 2, 3].map(() =>
        api.service.submit({
          lane: 'command',
          request: { model: 'claude-sonnet-4-6', maxTokens: 64, messages: [{ role: 'user', content: 'hi' }] },
        }),
      );
      assert.equal(api.service.scheduler.snapshot().inFlight, 1);
      const results = await Promise.all(handles.map((h) => h.result));
      assert.deepEqual(
        results.map((r) => r.status),
        ['completed', 'completed', 'completed'],
      );
    } finally {
      await dispose();
    }
  });

  test('a rate-limited run shows a countdown in the status bar and then completes every request', async () => {
    const { api, sim, dispose } = await withSimulator({
      // 60 per minute over 3 s windows: a burst of 3, then one a second, so 9 requests wait ~6 s.
      burstWindowSec: 3,
      organizations: [
        {
          id: '7e57c0de-0000-4000-8000-000000000001',
          keys: ['sk-ant-sim-itest-key-aaaa1111'],
          limits: {
            default: {
              requestsPerMinute: 60,
              inputTokensPerMinute: 1_000_000,
              outputTokensPerMinute: 400_000,
            },
          },
        },
      ],
    });
    try {
      const request = {
        model: 'claude-sonnet-4-6',
        maxTokens: 16,
        messages: [{ role: 'user' as const, content: 'count' }],
      };
      const first = api.service.submit({ lane: 'command', request });
      assert.equal((await first.result).status, 'completed');
      const handles = Array.from({ length: 8 }, () => api.service.submit({ lane: 'command', request }));
      const countdownSeen = await waitUntil(
        () => {
          const view = presentStatus(
            api.service.scheduler.snapshot(),
            api.service.settings.model,
            Date.now(),
          );
          return /\d:\d\d/.test(view.text) || view.severity === 'warning' ? view : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 20, what: 'a throttled status' },
      );
      assert.ok(countdownSeen.severity === 'warning');
      const results = await Promise.all(handles.map((h) => h.result));
      assert.ok(
        results.every((r) => r.status === 'completed'),
        JSON.stringify(results.map((r) => r.status)),
      );
      const rejected = sim.stats().responsesByStatus['429'] ?? 0;
      assert.ok(rejected <= 2, `at most 2 surprise 429s while learning the short window, got ${rejected}`);
    } finally {
      await dispose();
    }
  });
});
