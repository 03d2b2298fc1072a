import * as vscode from 'vscode';
import { isEditTask, selectionRequest, type SelectionTask } from './model/editPrompts';
import type { RequestResult } from '../pacer/index';
import { COMMANDS } from '../commandIds';
import type { PacerService } from '../service/pacerService';
import { streamToDocument } from './askCommand';
import { presentEditReply } from './editReplies';
import { showFailure } from './failureNotice';
import type { ProposalStore } from './proposals';
import { runWithProgress } from './requestProgress';
import type { AskInChat } from '../chat/chatQuestions';
import { diagnosticsWithin, problemsOf } from '../chat/chatAttachPick';
import type { ChatAnswerOutcome } from '../chat/chatPorts';

/** A selection command's title in the display language. */
function titleOf(task: SelectionTask): string {
  const titles: Readonly<Record<SelectionTask, string>> = {
    explain: vscode.l10n.t('Explain Selection'),
    fix: vscode.l10n.t('Fix Selection'),
    refactor: vscode.l10n.t('Refactor Selection'),
    document: vscode.l10n.t('Add Documentation'),
    tests: vscode.l10n.t('Write Tests'),
  };
  return titles[task];
}

/** Where a selection command acts: an editor's selection, or an explicit range (code actions). */
export interface SelectionTarget {
  readonly document: vscode.TextDocument;
  readonly range: vscode.Range;
}

function currentTarget(): SelectionTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const selection = editor.selection;
  const range = selection.isEmpty
    ? editor.document.lineAt(selection.active.line).range
    : new vscode.Range(selection.start, selection.end);
  return { document: editor.document, range };
}

/**
 * Runs a selection command: Explain asks in the chat view with the selection as a chip (a Markdown
 * document only where the view cannot be shown); Fix, Refactor and Document show the proposed code
 * as a diff to Accept or Reject; Write Tests proposes a new test file the same way.
 */
export async function runSelectionTask(
  service: PacerService,
  proposals: ProposalStore,
  task: SelectionTask,
  target = currentTarget(),
  instruction?: string,
  askInChat?: AskInChat,
): Promise<RequestResult | ChatAnswerOutcome | undefined> {
  if (!target) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file and select some code first.'));
    return undefined;
  }
  const { document, range } = target;
  const code = document.getText(range);
  if (!code.trim()) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select some code first.'));
    return undefined;
  }
  let userInstruction = instruction;
  if (task === 'refactor' && userInstruction === undefined) {
    userInstruction = await vscode.window.showInputBox({
      title: vscode.l10n.t('Claude: Refactor Selection…'),
      prompt: vscode.l10n.t('How should Claude refactor it?'),
      placeHolder: vscode.l10n.t('e.g. extract a function, use async/await'),
    });
    if (!userInstruction) return undefined;
  }
  if (task === 'explain' && askInChat) {
    const inChat = await askInChat(explainQuestion(document, range, code));
    if (inChat) return inChat;
  }
  const diagnostics = diagnosticsWithin(document.uri, range).map(
    (d) => `line ${d.range.start.line + 1}: ${d.message}`,
  );
  const settings = service.settings;
  const request = selectionRequest(
    task,
    {
      languageId: document.languageId,
      fileName: vscode.workspace.asRelativePath(document.uri),
      code,
      diagnostics,
      ...(userInstruction ? { instruction: userInstruction } : {}),
    },
    settings.model,
    settings.maxOutputTokens,
  );
  const lane = settings['priority.editorCommands'];
  const title = titleOf(task);
  const progressTitle = vscode.l10n.t('Claude: {0}', title);
  if (!isEditTask(task))
    return streamToDocument(
      service,
      progressTitle,
      `**${title}** (${vscode.workspace.asRelativePath(document.uri)})\n\n`,
      request,
      lane,
    );
  const version = document.version;
  const result = await runWithProgress(service, progressTitle, { request, lane, label: title });
  if (result.status === 'completed') {
    const job = {
      title,
      isNewFile: task === 'tests',
      document,
      range,
      version,
      originalText: code,
      request,
      lane,
    };
    await presentEditReply(service, proposals, job, result.text, result.stopReason);
  } else if (result.status === 'failed') {
    const action = await showFailure(result.reason, ['retry']);
    if (action === 'retry') return runSelectionTask(service, proposals, task, target, userInstruction);
  }
  return result;
}

/** Explain Selection's question for the chat: the selection rides as a chip (file and line range). */
function explainQuestion(
  document: vscode.TextDocument,
  range: vscode.Range,
  code: string,
): Parameters<AskInChat>[0] {
  const name = vscode.workspace.asRelativePath(document.uri, false);
  const lines = `${name}:${range.start.line + 1}-${range.end.line + 1}`;
  const problems = problemsOf(document.uri, range);
  return {
    text: vscode.l10n.t('Explain what this code does, how, and anything surprising.'),
    attachments: [
      { kind: 'selection', label: lines, text: code, language: document.languageId },
      // What the editor reports inside the selection often is the question behind "explain".
      ...(problems === '' ? [] : [{ kind: 'problems' as const, label: lines, text: problems, language: '' }]),
    ],
  };
}

/** Registers Explain / Fix / Refactor / Document / Write Tests; Explain answers through `askInChat`. */
export function registerSelectionCommands(
  context: vscode.ExtensionContext,
  service: PacerService,
  proposals: ProposalStore,
  askInChat?: AskInChat,
): void {
  const tasks: Array<[string, SelectionTask]> = [
    [COMMANDS.explainSelection, 'explain'],
    [COMMANDS.fixSelection, 'fix'],
    [COMMANDS.refactorSelection, 'refactor'],
    [COMMANDS.addDocumentation, 'document'],
    [COMMANDS.writeTests, 'tests'],
  ];
  for (const [id, task] of tasks) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, (uri?: unknown, range?: unknown) => {
        // Code actions pass the document and range explicitly; the palette uses the selection.
        const target =
          uri instanceof vscode.Uri && range instanceof vscode.Range
            ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
            : undefined;
        return runSelectionTask(
          service,
          proposals,
          task,
          target && range instanceof vscode.Range ? { document: target, range } : undefined,
          undefined,
          askInChat,
        );
      }),
    );
  }
}
