import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { note } from './support/reportFile';
import { TEST_ORG, withSimulator } from './support/pacer';
import { waitUntil } from '../support/waitUntil';
import type { RunningSimulator } from '../../sim/simulator';
import type { ClaudePacerApi } from '../../src/extension';

const SETTINGS = [
  'inlineCompletions.enabled',
  'inlineCompletions.debounceMs',
  'inlineCompletions.dailyTokenBudget',
] as const;

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

/** A new document of `language` holding `content`, and a call of the provider at its end as typing makes it. */
async function askAtEnd(
  api: ClaudePacerApi,
  language: string,
  content: string,
): Promise<() => Thenable<unknown>> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  const end = document.positionAt(document.getText().length);
  return () =>
    api.completions.provideInlineCompletionItems(
      document,
      end,
      automatic,
      new vscode.CancellationTokenSource().token,
    );
}

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
      // Keystrokes 40 ms apart against a pause of 1 s: real timers, so a loaded machine (the unit tier
      // runs beside this suite) may stretch a gap several times over without ending the burst.
      await configure({ 'inlineCompletions.enabled': true, 'inlineCompletions.debounceMs': 1_000 });
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
      const ask = await askAtEnd(api, 'go', 'x := ');
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

  test('"Claude: Toggle Inline Completions" turns them on and off in the user settings', async () => {
    const { sim, api, dispose } = await withSimulator({});
    try {
      await configure({ 'inlineCompletions.debounceMs': 0 });
      const ask = await askAtEnd(api, 'rust', 'let n = ');
      const inspect = (): boolean | undefined =>
        vscode.workspace.getConfiguration('claudePacer').inspect<boolean>('inlineCompletions.enabled')
          ?.globalValue;
      const start = completionRequests(sim);

      assert.equal(await vscode.commands.executeCommand('claudePacer.toggleInlineCompletions'), true);
      assert.equal(inspect(), true, 'written to the user (global) settings');
      await waitUntil(() => api.service.settings['inlineCompletions.enabled'], { what: 'the setting on' });
      await ask();
      assert.equal(api.completions.outcomes.at(-1), 'completed');
      assert.equal(completionRequests(sim) - start, 1);

      assert.equal(await vscode.commands.executeCommand('claudePacer.toggleInlineCompletions'), false);
      assert.equal(inspect(), false);
      await waitUntil(() => !api.service.settings['inlineCompletions.enabled'], { what: 'the setting off' });
      const outcomesBefore = api.completions.outcomes.length;
      assert.equal(await ask(), undefined, 'no ghost text while off');
      assert.equal(api.completions.outcomes.length, outcomesBefore, 'the provider did not even try');
      assert.equal(completionRequests(sim) - start, 1, 'nothing sent while off');
    } finally {
      await dispose();
    }
  });

  test('over the daily completion budget completions stop with a hint while chat goes on', async () => {
    const { sim, api, dispose } = await withSimulator({});
    try {
      await configure({
        'inlineCompletions.enabled': true,
        'inlineCompletions.debounceMs': 0,
        'inlineCompletions.dailyTokenBudget': 1,
      });
      await waitUntil(() => api.service.settings['inlineCompletions.dailyTokenBudget'] === 1, {
        what: 'the budget setting',
      });
      const ask = await askAtEnd(api, 'ruby', 'total = ');
      // Today's completion tokens may already pass 1 (earlier tests); then the first ask stops too.
      await ask();
      const sent = completionRequests(sim);
      await ask();
      assert.equal(api.completions.outcomes.at(-1), 'budget');
      assert.equal(api.completions.pauseReason, 'budget', 'the status hint says the budget is reached');
      assert.equal(completionRequests(sim), sent, 'no request over the budget');
      const chat = await vscode.commands.executeCommand<{ status: string }>(
        'claudePacer.ask',
        'Still there?',
      );
      assert.equal(chat.status, 'completed', 'chat is not held by the completion budget');
      await configure({ 'inlineCompletions.enabled': true, 'inlineCompletions.debounceMs': 0 });
      await waitUntil(() => api.completions.pauseReason === undefined, {
        what: 'the hint to go when the budget is lifted',
      });
      await ask();
      assert.equal(api.completions.outcomes.at(-1), 'completed');
    } finally {
      await dispose();
    }
  });

  test('with tight limits and a chat answer waiting, the chat starts first', async () => {
    // One request in flight at a time, and that slot busy with a slow answer: a completion and then
    // a chat question both queue; when the slot frees, the interactive lane goes first.
    const { sim, api, dispose } = await withSimulator({
      reply: { minOutputTokens: 30, maxOutputTokens: 30, tokensPerSecond: 20 },
    });
    try {
      await configure({ 'inlineCompletions.enabled': true, 'inlineCompletions.debounceMs': 0 });
      await vscode.workspace
        .getConfiguration('claudePacer')
        .update('maxRequestsInFlight', 1, vscode.ConfigurationTarget.Global);
      await waitUntil(() => api.service.settings.maxRequestsInFlight === 1, {
        what: 'one request in flight',
      });
      const messages = (): string[] =>
        sim
          .stats()
          .records.filter((r) => r.route === '/v1/messages')
          .sort((a, b) => a.atMs - b.atMs)
          .map((r) => r.model ?? '');
      const before = messages().length;
      const blocker = api.service.submit({
        lane: 'command',
        request: { model: 'claude-sonnet-4-6', maxTokens: 64, messages: [{ role: 'user', content: 'hold' }] },
      });
      await waitUntil(() => api.service.scheduler.snapshot().inFlight === 1, { what: 'the slot taken' });
      const completion = (await askAtEnd(api, 'java', 'int x = '))();
      await waitUntil(() => api.service.scheduler.snapshot().queued.background === 1, {
        what: 'the completion queued',
      });
      const chat = vscode.commands.executeCommand<{ status: string }>('claudePacer.ask', 'Which goes first?');
      await waitUntil(() => api.service.scheduler.snapshot().queued.interactive === 1, {
        what: 'the chat question queued behind it',
      });
      assert.equal(api.service.scheduler.snapshot().queued.background, 1, 'the completion still waits');
      assert.equal((await blocker.result).status, 'completed');
      assert.equal((await chat).status, 'completed');
      await completion;
      const order = messages().slice(before);
      note(`received: ${order.join(', ')}; completion: ${api.completions.outcomes.at(-1) ?? ''}`);
      assert.deepEqual(order.slice(0, 2), ['claude-sonnet-4-6', 'claude-sonnet-4-6'], 'blocker, then chat');
      assert.equal(api.completions.outcomes.at(-1), 'completed', 'the completion ran after the chat');
      assert.equal(order[2], 'claude-haiku-4-5');
    } finally {
      await dispose();
    }
  });
});
