import * as vscode from 'vscode';
import { cutOffNote, OUTPUT_LIMIT_STOP_REASON } from '../chat/model/answerEnding';
import { continuationRequest, joinContinuation } from './model/continuation';
import { extractProposal, type EditProposal } from './model/editReply';
import type { MessageRequest, RequestResult } from '../pacer/index';
import type { PacerService } from '../service/pacerService';
import { AnswerDocument } from './answerDocument';
import { showFailure } from './failureNotice';
import { fileExists, type ProposalStore } from './proposals';
import { numberedPath, testFilePathFor } from './model/testFileName';
import { runWithProgress } from './requestProgress';

/** An edit command's request and the text it was asked about, for turning its reply into a proposal. */
export interface EditJob {
  readonly title: string;
  readonly isNewFile: boolean;
  readonly document: vscode.TextDocument;
  readonly range: vscode.Range;
  /** The document's version when the request was made. */
  readonly version: number;
  readonly originalText: string;
  readonly request: MessageRequest;
  readonly lane: 'interactive' | 'command' | 'background';
}

/** An edit reply that ended inside its code block, kept so Continue can carry it on. */
export interface CutOffEdit {
  readonly job: EditJob;
  readonly replyText: string;
  readonly stopReason: string | null;
}

/**
 * Turns an edit command's reply into what the user sees: its code block as a proposal (Write Tests:
 * a new editor), a reply without a block as an answer, and a block cut off before it closed as a
 * warning that says so, offering Continue and Show Answer; never half a block as an edit.
 */
export async function presentEditReply(
  service: PacerService,
  proposals: ProposalStore,
  job: EditJob,
  replyText: string,
  stopReason: string | null,
): Promise<EditProposal> {
  const proposal = extractProposal(replyText, stopReason);
  if (proposal.kind === 'code') {
    const testFile = job.isNewFile ? await freeTestFileUri(job.document) : undefined;
    if (testFile) {
      await proposals.proposeNewFile(testFile, proposal.code);
    } else if (job.isNewFile) {
      // No folder to create the file in: the tests open unsaved, for the user to save where they like.
      const tests = await vscode.workspace.openTextDocument({
        language: job.document.languageId,
        content: proposal.code,
      });
      await vscode.window.showTextDocument(tests, { preview: false });
    } else {
      await proposals.propose(job.document, job.range, job.version, job.originalText, proposal.code);
    }
  } else if (proposal.kind === 'none') {
    await showAnswer(job, replyText, stopReason);
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        "Claude's reply to {0} held no code block, so no edit was proposed. The reply is shown as an answer.",
        job.title,
      ),
    );
  } else {
    void offerToContinue(service, proposals, { job, replyText, stopReason });
  }
  return proposal;
}

async function offerToContinue(
  service: PacerService,
  proposals: ProposalStore,
  cut: CutOffEdit,
): Promise<void> {
  const isOutputLimit = cut.stopReason === OUTPUT_LIMIT_STOP_REASON;
  const message = isOutputLimit
    ? vscode.l10n.t(
        "Claude's answer to {0} was cut off at the output limit inside its code block, so no edit was proposed. Continue asks Claude to finish it; or select less code, or raise claudePacer.maxOutputTokens.",
        cut.job.title,
      )
    : vscode.l10n.t(
        "Claude's answer to {0} ended inside its code block (stop reason: {1}), so no edit was proposed.",
        cut.job.title,
        cut.stopReason ?? vscode.l10n.t('none'),
      );
  const continueLabel = vscode.l10n.t('Continue');
  const showLabel = vscode.l10n.t('Show Answer');
  const choice = await vscode.window.showWarningMessage(message, continueLabel, showLabel);
  if (choice === continueLabel) await continueCutOffEdit(service, proposals, cut);
  else if (choice === showLabel) await showAnswer(cut.job, cut.replyText, cut.stopReason);
}

/**
 * Asks Claude to carry on from a cut-off edit reply and presents the joined reply again: a whole
 * block becomes a proposal (shown as a diff to review), a block still open offers Continue again.
 */
export async function continueCutOffEdit(
  service: PacerService,
  proposals: ProposalStore,
  cut: CutOffEdit,
): Promise<RequestResult> {
  const title = vscode.l10n.t('{0} (continued)', cut.job.title);
  const result = await runWithProgress(service, vscode.l10n.t('Claude: {0}', title), {
    request: continuationRequest(cut.job.request, cut.replyText),
    lane: cut.job.lane,
    label: title,
  });
  if (result.status === 'completed') {
    const joined = joinContinuation(cut.replyText, result.text);
    await presentEditReply(service, proposals, cut.job, joined, result.stopReason);
  } else if (result.status === 'failed') {
    const action = await showFailure(result.reason, ['retry']);
    if (action === 'retry') return continueCutOffEdit(service, proposals, cut);
  }
  return result;
}

/** Most numbered alternatives tried when the test file's name is taken. */
const MAX_NAME_TRIES = 20;

/**
 * Where Write Tests proposes its file: beside the source (an untitled source: the first workspace
 * folder), under the first name not taken; undefined without a folder to write to.
 */
async function freeTestFileUri(source: vscode.TextDocument): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const base =
    source.uri.scheme === 'untitled'
      ? folder && vscode.Uri.joinPath(folder, source.uri.path.split('/').pop() ?? 'untitled')
      : source.uri;
  if (!base) return undefined;
  const path = testFilePathFor(base.path, source.languageId);
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const candidate = base.with({ path: numberedPath(path, n) });
    if (!(await fileExists(candidate))) return candidate;
  }
  return undefined;
}

async function showAnswer(job: EditJob, replyText: string, stopReason: string | null): Promise<void> {
  const answer = new AnswerDocument();
  await answer.open(`**${job.title}** (${vscode.workspace.asRelativePath(job.document.uri)})\n\n`);
  answer.append(replyText);
  await answer.finish(
    stopReason === OUTPUT_LIMIT_STOP_REASON ? `\n\n*(${cutOffNote(vscode.l10n.t)})*\n` : '\n',
  );
}
