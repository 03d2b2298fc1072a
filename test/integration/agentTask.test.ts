import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { reviewByChoice, runAgentTask, type ChangeReviewUi } from '../../src/agent/agentTask';
import { note } from './support/reportFile';
import { GREET_FILES, renameGreetScript } from './support/renameScript';
import { TEST_ORG, withSimulator } from './support/pacer';

const DIR = 'agent-task';
const KEY = 'sk-ant-sim-itest-key-aaaa1111';
const SCRIPT = renameGreetScript(DIR, 'rename greet');
const { 'a.ts': A, 'b.ts': B } = GREET_FILES;

/** A review that accepts only `paths`, and remembers what it was shown. */
function acceptOnly(...paths: string[]): ChangeReviewUi & { shown: string[] } {
  const shown: string[] = [];
  const review = reviewByChoice((changes) => {
    shown.push(...changes.map((c) => c.path));
    return Promise.resolve(new Set(paths));
  });
  return { shown, review: (changes, apply) => review.review(changes, apply) };
}

suite('Agent task', () => {
  test('rename greet to welcome in two files: it waits on a limit, the user accepts one file, exactly that lands; a cancelled run applies nothing', async function () {
    this.timeout(120_000);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const dir = path.join(folder.uri.fsPath, DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.ts'), A);
    fs.writeFileSync(path.join(dir, 'b.ts'), B);
    const { api, sim, dispose } = await withSimulator({
      // A burst of 4 requests, then one every 2 s (30 per minute over 8 s windows): step 5 waits.
      limiterWindowSec: { requests: 8 },
      organizations: [{ id: TEST_ORG, keys: [KEY], limits: { default: { requestsPerMinute: 30 } } }],
      scripts: [SCRIPT],
    });
    try {
      const lines: string[] = [];
      const review = acceptOnly(`${DIR}/a.ts`);
      const result = await runAgentTask(api.service, folder, {
        task: 'Please rename greet to welcome.',
        review,
        signal: new AbortController().signal,
        onLine: (line) => lines.push(line),
      });
      note(`lines: ${JSON.stringify(lines)}`);
      assert.equal(
        result.outcome.status,
        'answered',
        JSON.stringify(result.outcome.status === 'failed' && result.outcome.failure),
      );
      assert.equal(result.outcome.steps, 5);
      assert.ok(
        lines.some((l) => /^Step 5 waits \d+:\d\d for requests/.test(l)),
        'the wait is shown',
      );
      assert.ok(lines.includes('Step 3: read_file was refused or failed'));
      assert.deepEqual(review.shown, [`${DIR}/a.ts`, `${DIR}/b.ts`]);
      assert.deepEqual(result.written, [`${DIR}/a.ts`]);
      assert.deepEqual(result.rejected, [`${DIR}/b.ts`]);
      assert.equal(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8'), 'export function welcome() {}\n');
      assert.equal(fs.readFileSync(path.join(dir, 'b.ts'), 'utf8'), B);
      assert.equal(
        sim.stats().records.filter((r) => r.route === '/v1/messages' && r.status === 200).length,
        5,
      );

      fs.writeFileSync(path.join(dir, 'a.ts'), A);
      const abort = new AbortController();
      const second = acceptOnly(`${DIR}/a.ts`, `${DIR}/b.ts`);
      const cancelled = await runAgentTask(api.service, folder, {
        task: 'Please rename greet to welcome.',
        review: second,
        signal: abort.signal,
        onLine: (line) => {
          if (/^Step 1 waits/.test(line)) abort.abort();
        },
      });
      assert.equal(cancelled.outcome.status, 'cancelled');
      assert.deepEqual(second.shown, [], 'no review after a cancelled run');
      assert.deepEqual(cancelled.written, []);
      assert.equal(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8'), A);
      assert.equal(fs.readFileSync(path.join(dir, 'b.ts'), 'utf8'), B);
    } finally {
      await dispose();
    }
  });

  test('"Claude: Run Agent Task…" is contributed and registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('claudePacer.runAgentTask'));
  });
});
