import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { AgentRunView } from '../../src/chat/model/agentRunView';
import { parseWebviewMessage } from '../../src/chat/model/chatProtocol';
import { routePageMessage } from '../../src/chat/pageMessages';
import type { ClaudePacerApi } from '../../src/extension';
import { waitUntil } from '../support/waitUntil';
import { note } from './support/reportFile';
import { GREET_FILES, renameGreetScript } from './support/renameScript';
import { TEST_ORG, withSimulator } from './support/pacer';

const DIR = 'agent-chat';
const KEY = 'sk-ant-sim-itest-key-aaaa1111';
const { 'a.ts': A, 'b.ts': B } = GREET_FILES;
const SECRET = 'OUTSIDE-AGENT-CHAT-SECRET';
const SCRIPT = renameGreetScript(DIR, 'rename greet in agent-chat');
const TASK = 'Please rename greet in agent-chat to welcome.';
const PROPOSED_SCHEME = 'claude-pacer-agent-proposed';

/** A message as the chat page posts it: through the view's validator, then its router. */
async function fromPage(api: ClaudePacerApi, raw: unknown): Promise<void> {
  const message = parseWebviewMessage(raw);
  assert.ok(message, `the validator accepts ${JSON.stringify(raw)}`);
  await routePageMessage(api.chat, api.agent.chat, message);
}

/** The files whose review diffs are open (the proposed side's path, without the review id). */
function openReviewDiffs(): string[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.flatMap((tab) =>
      tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PROPOSED_SCHEME
        ? [tab.input.modified.path.replace(/^\/\d+\//, '')]
        : [],
    ),
  );
}

suite('Agent mode in the chat', () => {
  test('rename greet to welcome in two files: lists, reads, is refused ../outside.txt, waits on a limit (shown inline), proposes two files; the user accepts one and rejects the other in the diffs; exactly that lands. A second run cancelled mid-step leaves nothing', async function () {
    this.timeout(150_000);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const dir = path.join(folder.uri.fsPath, DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.ts'), A);
    fs.writeFileSync(path.join(dir, 'b.ts'), B);
    fs.writeFileSync(path.join(path.dirname(folder.uri.fsPath), 'outside.txt'), SECRET);
    const { api, sim, dispose } = await withSimulator({
      // A burst of 4 requests, then one every 2 s (30 per minute over 8 s windows): step 5 waits.
      limiterWindowSec: { requests: 8 },
      organizations: [{ id: TEST_ORG, keys: [KEY], limits: { default: { requestsPerMinute: 30 } } }],
      scripts: [SCRIPT],
    });
    const views: AgentRunView[] = [];
    const listening = api.agent.chat.onDidUpdate((view) => views.push(view));
    try {
      const sent = { type: 'sendAgent', text: TASK };
      assert.deepEqual(parseWebviewMessage(sent), sent, 'the page may start an agent run');
      const running = api.agent.chat.start(TASK);
      const reviewing = await waitUntil(() => views.find((v) => v.status === 'reviewing'), {
        timeoutMs: 100_000,
        intervalMs: 50,
        what: 'the run to reach its review',
      });
      note(`reviewing: ${reviewing.note ?? ''}`);
      assert.deepEqual(reviewing.lines, [
        'Step 1: list_files',
        'Step 2: read_file',
        'Step 2: read_file',
        'Step 3: read_file',
        'Step 3: read_file was refused or failed',
        'Step 4: replace_lines',
        'Step 4: replace_lines',
      ]);
      const waits = views.flatMap((v) => (v.wait ? [v.wait] : []));
      note(`waits shown: ${JSON.stringify(waits)}`);
      assert.ok(
        waits.some((w) => /requests per minute/.test(w.reason) && (w.remainingMs ?? 0) > 0),
        'a step waited on the requests-per-minute limit, and the chat was shown why and how long',
      );
      assert.ok(
        views.some((v) => v.status === 'running' && v.text.startsWith('Looking.')),
        'what Claude said shows while the run goes',
      );
      await waitUntil(() => openReviewDiffs().length === 2 || undefined, {
        timeoutMs: 10_000,
        what: 'a diff per proposed file',
      });
      assert.deepEqual(openReviewDiffs().sort(), [`${DIR}/a.ts`, `${DIR}/b.ts`]);
      assert.equal(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8'), A, 'nothing is written before a click');
      // The diff's title buttons pass the diff's (proposed) URI to their command.
      await vscode.commands.executeCommand(
        'claudePacer.acceptAgentFile',
        api.agent.review.proposedUri(`${DIR}/a.ts`),
      );
      assert.equal(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8'), 'export function welcome() {}\n');
      await vscode.commands.executeCommand(
        'claudePacer.rejectAgentFile',
        api.agent.review.proposedUri(`${DIR}/b.ts`),
      );
      const result = await running;
      assert.ok(result);
      assert.equal(result.outcome.status, 'answered');
      assert.deepEqual(
        [result.written, result.rejected, result.stale],
        [[`${DIR}/a.ts`], [`${DIR}/b.ts`], []],
      );
      assert.equal(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8'), 'export function welcome() {}\n');
      assert.equal(fs.readFileSync(path.join(dir, 'b.ts'), 'utf8'), B);
      assert.deepEqual(openReviewDiffs(), [], 'the decided diffs are closed');
      const refusal = JSON.stringify(result.outcome.messages);
      assert.match(refusal, /outside\.txt[^"]*(outside the workspace|contains \\"\.\.\\")/);
      assert.ok(!refusal.includes(SECRET), 'the file outside the workspace was never read');
      const last = views.at(-1)!;
      assert.equal(last.status, 'answered');
      assert.match(last.note ?? '', new RegExp(`Written: ${DIR}/a\\.ts\\. Rejected: ${DIR}/b\\.ts\\.`));

      fs.writeFileSync(path.join(dir, 'a.ts'), A);
      views.length = 0;
      const before = sim.stats().records.filter((r) => r.route === '/v1/messages').length;
      const second = api.agent.chat.start(TASK);
      const waiting = await waitUntil(
        () => views.find((v) => v.status === 'running' && (v.wait?.step ?? 0) >= 2),
        {
          timeoutMs: 90_000,
          intervalMs: 50,
          what: 'the second run to wait on its second step',
        },
      );
      await fromPage(api, { type: 'cancelAgent', runId: waiting.id });
      const cancelled = await second;
      assert.ok(cancelled);
      assert.equal(cancelled.outcome.status, 'cancelled');
      assert.equal(cancelled.outcome.text, 'Looking.', 'the partial answer is kept');
      assert.deepEqual(cancelled.written, []);
      assert.deepEqual(openReviewDiffs(), [], 'no review after a cancelled run');
      assert.equal(views.at(-1)?.status, 'cancelled');
      assert.equal(views.at(-1)?.text, 'Looking.');
      const sentAfter = () => sim.stats().records.filter((r) => r.route === '/v1/messages').length - before;
      const sentAtCancel = sentAfter();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(sentAfter(), sentAtCancel, 'no step is sent after the cancel');
      assert.equal(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8'), A);
      assert.equal(fs.readFileSync(path.join(dir, 'b.ts'), 'utf8'), B);
    } finally {
      listening.dispose();
      await dispose();
    }
  });

  test('an accepted file that changed since Claude read it is not written (version check), with a clear message', async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const file = path.join(folder.uri.fsPath, DIR, 'c.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'greet;\n');
    const { api, dispose } = await withSimulator({
      scripts: [
        {
          match: 'stale agent-chat',
          steps: [
            {
              toolUses: [
                {
                  name: 'replace_lines',
                  input: { path: `${DIR}/c.ts`, startLine: 1, endLine: 1, newText: 'welcome;' },
                },
              ],
            },
            { text: 'Done.' },
          ],
        },
      ],
    });
    const views: AgentRunView[] = [];
    const listening = api.agent.chat.onDidUpdate((view) => views.push(view));
    try {
      const running = api.agent.chat.start('Please do the stale agent-chat task.');
      const uri = await waitUntil(() => api.agent.review.proposedUri(`${DIR}/c.ts`), {
        timeoutMs: 30_000,
        what: 'the review of c.ts',
      });
      fs.writeFileSync(file, 'mine;\n');
      await vscode.commands.executeCommand('claudePacer.acceptAgentFile', uri);
      const result = await running;
      assert.deepEqual([result?.written, result?.stale], [[], [`${DIR}/c.ts`]]);
      assert.equal(fs.readFileSync(file, 'utf8'), 'mine;\n');
      assert.match(views.at(-1)?.note ?? '', new RegExp(`Not written, changed meanwhile: ${DIR}/c\\.ts\\.`));
    } finally {
      listening.dispose();
      await dispose();
    }
  });

  test("the reviewing run's buttons in the chat: Show diffs opens closed diffs again, Reject all ends the review; another run's id does nothing", async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const dir = path.join(folder.uri.fsPath, DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'd.ts'), 'd;\n');
    const { api, dispose } = await withSimulator({
      scripts: [
        {
          match: 'buttons agent-chat',
          steps: [
            {
              toolUses: [
                {
                  name: 'replace_lines',
                  input: { path: `${DIR}/d.ts`, startLine: 1, endLine: 1, newText: 'dd;' },
                },
                { name: 'create_file', input: { path: `${DIR}/e.ts`, content: 'e;\n' } },
              ],
            },
            { text: 'Done.' },
          ],
        },
      ],
    });
    const views: AgentRunView[] = [];
    const listening = api.agent.chat.onDidUpdate((view) => views.push(view));
    try {
      const running = api.agent.chat.start('Please do the buttons agent-chat task.');
      const reviewing = await waitUntil(() => views.find((v) => v.status === 'reviewing'), {
        timeoutMs: 30_000,
        what: 'the review',
      });
      await waitUntil(() => openReviewDiffs().length === 2 || undefined, { what: 'both diffs' });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.deepEqual(openReviewDiffs(), []);
      await fromPage(api, { type: 'reviewAgent', runId: 'someone-else', action: 'acceptAll' });
      await fromPage(api, { type: 'reviewAgent', runId: reviewing.id, action: 'showDiffs' });
      assert.deepEqual(openReviewDiffs().sort(), [`${DIR}/d.ts`, `${DIR}/e.ts`]);
      await fromPage(api, { type: 'reviewAgent', runId: reviewing.id, action: 'rejectAll' });
      const result = await running;
      assert.deepEqual([result?.written, result?.rejected], [[], [`${DIR}/d.ts`, `${DIR}/e.ts`]]);
      assert.equal(fs.readFileSync(path.join(dir, 'd.ts'), 'utf8'), 'd;\n');
      assert.equal(fs.existsSync(path.join(dir, 'e.ts')), false);
      assert.deepEqual(openReviewDiffs(), []);
    } finally {
      listening.dispose();
      await dispose();
    }
  });

  test('Retry now on a step that waits after a 429 (retry-after 40 s) sends it at once', async function () {
    this.timeout(60_000);
    const { api, dispose } = await withSimulator({
      faults: [{ kind: 'ramp_limit', retryAfterSec: 40, onRequest: 2, times: 1 }],
      scripts: [
        {
          match: 'retry agent-chat',
          steps: [
            { text: 'Looking.', toolUses: [{ name: 'list_files', input: { glob: `${DIR}/*.ts` } }] },
            { text: 'Done.' },
          ],
        },
      ],
    });
    const views: AgentRunView[] = [];
    const listening = api.agent.chat.onDidUpdate((view) => views.push(view));
    try {
      const running = api.agent.chat.start('Please do the retry agent-chat task.');
      const waiting = await waitUntil(
        () =>
          views.find((v) => v.wait !== undefined && v.wait.step === 2 && (v.wait.remainingMs ?? 0) > 20_000),
        { timeoutMs: 30_000, what: 'step 2 to wait out its retry-after' },
      );
      note(`waiting: ${JSON.stringify(waiting.wait)}`);
      const pressedAt = Date.now();
      await fromPage(api, { type: 'retryNow' });
      const result = await running;
      const tookMs = Date.now() - pressedAt;
      note(`after Retry now the run ended in ${tookMs} ms`);
      assert.equal(result?.outcome.status, 'answered');
      assert.equal(result.outcome.steps, 2);
      assert.ok(tookMs < (waiting.wait?.remainingMs ?? 0) - 10_000, `ended ${tookMs} ms after Retry now`);
    } finally {
      listening.dispose();
      await dispose();
    }
  });

  test('the diff title shows Accept / Reject per file and for all, on the review diffs only', () => {
    const titles = manifest.contributes.menus['editor/title'];
    for (const command of [
      'claudePacer.acceptAgentFile',
      'claudePacer.rejectAgentFile',
      'claudePacer.acceptAllAgentFiles',
      'claudePacer.rejectAllAgentFiles',
    ]) {
      const item = titles.find((m) => m.command === command);
      assert.ok(item, command);
      assert.match(item.when, /resourceScheme == claude-pacer-agent-proposed/);
    }
  });
});
