import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProposalNotice } from '../../src/commands/model/proposalRules';
import { PROPOSAL_SCHEME } from '../../src/commands/proposals';
import { pacerApi } from './support/pacer';

const TEXT = 'let total = 0;\nfor (const n of list) total += n;\n';

/** A file of the run's workspace copy, opened as a preview tab the way a click in the Explorer opens it. */
async function openPreviewFile(name: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(TEXT));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: true });
}

function tabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

function userTabsOf(uri: vscode.Uri): vscode.Tab[] {
  return tabs().filter(
    (t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString(),
  );
}

/** The open diff tabs of proposal `id`, or of any proposal. */
function proposalDiffs(id?: string): vscode.Tab[] {
  return tabs().filter(
    (t) =>
      t.input instanceof vscode.TabInputTextDiff &&
      t.input.modified.scheme === PROPOSAL_SCHEME &&
      (id === undefined || t.input.modified.path.startsWith(`/${id}/`)),
  );
}

const firstLine = new vscode.Range(0, 0, 0, 14);

suite('Proposals', function () {
  this.timeout(30_000);

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test("Reject closes only the diff, never the user's own editor of the file (even a preview tab)", async () => {
    const { proposals } = await pacerApi();
    const editor = await openPreviewFile('reject-keeps-editor.ts');
    const uri = editor.document.uri;
    assert.equal(userTabsOf(uri).length, 1);
    const proposal = await proposals.propose(
      editor.document,
      firstLine,
      editor.document.version,
      'let total = 0;',
      'let sum = 0;',
    );
    assert.equal(proposalDiffs(proposal.id).length, 1, 'the diff is open');
    assert.equal(userTabsOf(uri).length, 1, "the diff did not take the place of the user's tab");
    assert.equal(await proposals.reject(proposal.id), 'rejected');
    assert.equal(proposalDiffs(proposal.id).length, 0, 'the diff is closed');
    assert.equal(userTabsOf(uri).length, 1, "the user's editor of the file is still open");
    assert.equal(editor.document.getText(), TEXT);
  });

  test('one notification per proposal: a newer proposal for the file replaces the older, Accept ends it', async () => {
    const { proposals } = await pacerApi();
    const editor = await openPreviewFile('one-notification.ts');
    const before = proposals.pendingCount;
    const older = await proposals.propose(
      editor.document,
      firstLine,
      editor.document.version,
      'let total = 0;',
      'let a = 0;',
    );
    assert.equal(proposals.pendingCount, before + 1);
    const newer = await proposals.propose(
      editor.document,
      firstLine,
      editor.document.version,
      'let total = 0;',
      'let b = 0;',
    );
    assert.equal(proposals.pendingCount, before + 1, 'the older proposal (and its notification) ended');
    assert.equal(proposalDiffs(older.id).length, 0, "the older proposal's diff is closed");
    assert.equal(proposalDiffs(newer.id).length, 1);
    assert.equal(await vscode.commands.executeCommand('claudePacer.acceptProposal', newer.id), 'applied');
    assert.equal(proposals.pendingCount, before, 'Accept ended the notification');
    assert.equal(editor.document.getText(), TEXT.replace('let total = 0;', 'let b = 0;'));
    assert.equal(proposalDiffs(newer.id).length, 0);
    const notices: ProposalNotice[] = [];
    const listening = proposals.onDidNotify((n) => notices.push(n));
    try {
      assert.equal(await proposals.accept(older.id), 'unknown', 'the replaced proposal cannot be applied');
    } finally {
      listening.dispose();
    }
    assert.match(notices[0]?.text ?? '', /no longer pending/);
  });

  test('a stale Accept says the proposal is stale and changes nothing', async () => {
    const { proposals } = await pacerApi();
    const editor = await openPreviewFile('stale-accept.ts');
    const proposal = await proposals.propose(
      editor.document,
      firstLine,
      editor.document.version,
      'let total = 0;',
      'let sum = 0;',
    );
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, new vscode.Position(1, 0), '// edited meanwhile\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const changed = editor.document.getText();
    const notices: ProposalNotice[] = [];
    const listening = proposals.onDidNotify((n) => notices.push(n));
    try {
      assert.equal(await vscode.commands.executeCommand('claudePacer.acceptProposal', proposal.id), 'stale');
      // A second click finds nothing pending, and says so.
      assert.equal(
        await vscode.commands.executeCommand('claudePacer.acceptProposal', proposal.id),
        'unknown',
      );
    } finally {
      listening.dispose();
    }
    assert.equal(editor.document.getText(), changed, 'nothing applied');
    assert.deepEqual(
      notices.map((n) => n.level),
      ['warning', 'info'],
    );
    assert.match(notices[0]!.text, /stale and was not applied/);
    assert.match(notices[1]!.text, /Nothing was applied/);
    assert.equal(proposalDiffs(proposal.id).length, 0, 'the stale diff is closed');
  });
});
