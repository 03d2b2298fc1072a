import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { note } from './support/reportFile';
import { TEST_ORG, withSimulator } from './support/pacer';
import { waitUntil } from '../support/waitUntil';
import type { RunningSimulator } from '../../sim/simulator';

const SETTINGS = ['inlineCompletions.enabled', 'inlineCompletions.debounceMs'] as const;

async function configure(values: Partial<Record<(typeof SETTINGS)[number], unknown>>): Promise<void> {
  const config = vscode.workspace.getConfiguration('claudePacer');
  for (const key of SETTINGS) await config.update(key, values[key], vscode.ConfigurationTarget.Global);
}

function completionRequests(sim: RunningSimulator): number {
  return sim.stats().records.filter((r) => r.route === '/v1/messages' && r.model === 'claude-haiku-4-5')
    .length;
}

const automatic: vscode.InlineCompletionContext = {
  triggerKind: vscode.InlineCompletionTriggerKind.Automatic,
  selectedCompletionInfo: undefined,
};

suite('Inline completions', function () {
  this.timeout(60_000);

  teardown(async () => {
    await configure({});
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the simulator suggests ghost text at the cursor and committing it inserts the text', async () => {
    const { sim, api, dispose } = await withSimulator({});
    try {
      await configure({ 'inlineCompletions.enabled': true });
      const document = await vscode.workspace.openTextDocument({
        language: 'typescript',
        content: 'function add(a: number, b: number) {\n  return \n}\n',
      });
      const editor = await vscode.window.showTextDocument(document);
      const cursor = new vscode.Position(1, 9);
      editor.selection = new vscode.Selection(cursor, cursor);
      const before = document.getText();
      const text = await waitUntil(
        async () => {
          await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
          await new Promise((resolve) => setTimeout(resolve, 700));
          await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
          return document.getText() !== before && document.getText();
        },
        { what: 'a committed suggestion', timeoutMs: 20_000 },
      );
      const inserted = document.lineAt(1).text.slice(cursor.character);
      note(`outcomes: ${api.completions.outcomes.join(', ')}; inserted: ${JSON.stringify(inserted)}`);
      assert.ok(inserted.length > 0, 'text was inserted at the cursor');
      assert.ok(api.completions.outcomes.includes('completed'));
      assert.ok(text.endsWith('\n}\n'), 'the suffix is untouched, not repeated');
      assert.ok(completionRequests(sim) >= 1, 'the simulator served the completion model');
      const report = await vscode.commands.executeCommand<string>('claudePacer.showUsage');
      assert.match(report, /\| haiku[^|]* \|[^\n]*\| completions \|/, 'usage counts completions apart');
    } finally {
      await dispose();
    }
  });

  test('a quick burst of typing sends at most one request per pause', async () => {
    const { sim, api, dispose } = await withSimulator({});
    try {
      await configure({ 'inlineCompletions.enabled': true, 'inlineCompletions.debounceMs': 250 });
      const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'x = ' });
      const burst = async (): Promise<void> => {
        const calls: Array<Thenable<unknown>> = [];
        for (let i = 0; i < 5; i++) {
          const edit = new vscode.WorkspaceEdit();
          edit.insert(document.uri, document.positionAt(document.getText().length), 'q');
          await vscode.workspace.applyEdit(edit);
          const end = document.positionAt(document.getText().length);
          const token = new vscode.CancellationTokenSource().token;
          calls.push(
            Promise.resolve(api.completions.provideInlineCompletionItems(document, end, automatic, token)),
          );
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        await Promise.all(calls);
      };
      const start = completionRequests(sim);
      await burst();
      assert.equal(completionRequests(sim) - start, 1, 'one request for the first pause');
      await burst();
      assert.equal(completionRequests(sim) - start, 2, 'one more for the second pause');
      const outcomes = api.completions.outcomes.slice(-10);
      note(`outcomes of the two bursts: ${outcomes.join(', ')}`);
      assert.equal(outcomes.filter((o) => o === 'stale').length, 8);
    } finally {
      await dispose();
    }
  });

  test('on a tight pool a completion is shed with a status hint, the next sends nothing, and they resume by themselves', async () => {
    const { sim, api, dispose } = await withSimulator({
      organizations: [
        {
          id: TEST_ORG,
          keys: ['sk-ant-sim-itest-key-aaaa1111'],
          limits: {
            default: {
              requestsPerMinute: 30,
              inputTokensPerMinute: 1_000_000,
              outputTokensPerMinute: 400_000,
            },
          },
        },
      ],
    });
    try {
      await configure({ 'inlineCompletions.enabled': true, 'inlineCompletions.debounceMs': 0 });
      const document = await vscode.workspace.openTextDocument({ language: 'go', content: 'x := ' });
      const end = document.positionAt(document.getText().length);
      const ask = (): Thenable<unknown> =>
        api.completions.provideInlineCompletionItems(
          document,
          end,
          automatic,
          new vscode.CancellationTokenSource().token,
        );
      sim.drainBuckets(TEST_ORG);
      const start = completionRequests(sim);
      await ask();
      assert.equal(api.completions.outcomes.at(-1), 'shed', 'held back by the limit: shed, not queued');
      assert.ok(api.completions.isPaused, 'the status bar says completions are paused');
      const sentWhileTight = completionRequests(sim) - start;
      await ask();
      assert.equal(api.completions.outcomes.at(-1), 'paused');
      assert.equal(completionRequests(sim) - start, sentWhileTight, 'nothing sent while paused');
      await waitUntil(() => !api.completions.isPaused, { what: 'the pause to end', timeoutMs: 15_000 });
      const outcome = await waitUntil(
        async () => {
          await ask();
          return api.completions.outcomes.at(-1) === 'completed' && 'completed';
        },
        { what: 'a completion after the pause', timeoutMs: 20_000, intervalMs: 500 },
      );
      note(`sent while tight: ${sentWhileTight}; outcomes: ${api.completions.outcomes.slice(-6).join(', ')}`);
      assert.equal(outcome, 'completed');
    } finally {
      await dispose();
    }
  });
});
