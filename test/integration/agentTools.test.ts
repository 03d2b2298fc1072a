import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChangeSet } from '../../src/agent/model/changeSet';
import { runTool } from '../../src/agent/model/runTool';
import { DEFAULT_TOOL_LIMITS, type ToolContext } from '../../src/agent/model/toolContext';
import { TerminalCommandPort } from '../../src/agent/terminalCommandPort';
import { VscodeWorkspacePort } from '../../src/agent/vscodeWorkspacePort';
import { note } from './support/reportFile';

const FIXTURE = 'agent-fixture';

/** Files the agent tests read: a source file, a secret, and a symbolic link out of the workspace. */
function makeFixture(folder: vscode.WorkspaceFolder): void {
  const root = path.join(folder.uri.fsPath, FIXTURE);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'a.ts'), 'export function greetAgent() {}\n');
  fs.writeFileSync(path.join(root, '.env'), 'TOKEN=greetAgent-secret\n');
  const outside = path.join(path.dirname(folder.uri.fsPath), 'outside-agent.txt');
  fs.writeFileSync(outside, 'greetAgent outside\n');
  fs.rmSync(path.join(root, 'out.txt'), { force: true });
  fs.symlinkSync(outside, path.join(root, 'out.txt'));
}

function contextFor(folder: vscode.WorkspaceFolder): ToolContext {
  return {
    policy: { root: folder.uri.path, allowSecrets: false },
    workspace: new VscodeWorkspacePort(folder),
    commands: new TerminalCommandPort(folder),
    changes: new ChangeSet(),
    limits: DEFAULT_TOOL_LIMITS,
    approvedCommandPrefixes: ['echo'],
    signal: new AbortController().signal,
  };
}

suite('Agent tools over the real workspace', () => {
  test('read, list and search through VS Code; the symlink escape, the secret and ".." are refused', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    makeFixture(folder);
    const context = contextFor(folder);
    const read = await runTool('read_file', { path: `${FIXTURE}/a.ts` }, context);
    assert.equal(read.content, `${FIXTURE}/a.ts (lines 1-1 of 1)\n1: export function greetAgent() {}`);
    for (const [file, reason] of [
      [`${FIXTURE}/out.txt`, /leads outside the workspace/],
      [`${FIXTURE}/.env`, /secrets file/],
      ['../outside-agent.txt', /contains "\.\."/],
    ] as const) {
      const refused = await runTool('read_file', { path: file }, context);
      assert.equal(refused.isError, true, file);
      assert.match(refused.content, reason);
    }
    const listed = await runTool('list_files', { glob: `${FIXTURE}/**` }, context);
    assert.ok(listed.content.split('\n').includes(`${FIXTURE}/a.ts`), listed.content);
    assert.ok(!listed.content.includes('.env'), listed.content);
    const found = await runTool('search_text', { query: 'greetAgent' }, context);
    note(`search_text: ${found.content}`);
    assert.equal(found.isError, false, found.content);
    assert.ok(found.content.includes(`${FIXTURE}/a.ts:1: export function greetAgent() {}`), found.content);
    assert.ok(!/secret|outside/.test(found.content), found.content);
  });

  test('a pre-approved command runs in a terminal with shell integration; its output and exit code come back', async function () {
    this.timeout(30_000);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const plain = await runTool('run_command', { command: 'echo agent-ran' }, contextFor(folder));
    note(`run_command: ${JSON.stringify(plain)}`);
    assert.equal(plain.isError, false, plain.content);
    assert.match(plain.content, /^Exit code 0\.\n[\s\S]*agent-ran/);
  });
});
