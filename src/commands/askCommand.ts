import * as vscode from 'vscode';
import type { MessageRequest, RequestResult } from '../pacer/index';
import { cutOffNote, isCutOffAtOutputLimit } from '../chat/model/answerEnding';
import { continuationRequest } from './model/continuation';
import type { PacerService } from '../service/pacerService';
import { AnswerDocument } from './answerDocument';
import { showFailure } from './failureNotice';
import { runWithProgress } from './requestProgress';

/**
 * Sends `request` and streams the answer into a Markdown document. On an interruption, or an answer
 * cut off at the output limit, the partial answer stays, marked, and "Continue" asks Claude to carry
 * on from it (a cut-off answer's offer does not hold up the command's result).
 */
export async function streamToDocument(
  service: PacerService,
  title: string,
  header: string,
  request: MessageRequest,
  lane: 'interactive' | 'command' | 'background',
): Promise<RequestResult> {
  const doc = new AnswerDocument();
  await doc.open(header);
  const result = await runWithProgress(service, title, {
    request,
    lane,
    label: title,
    onText: (t) => doc.append(t),
  });
  if (result.status === 'completed') {
    const isCutOff = isCutOffAtOutputLimit(result);
    await doc.finish(isCutOff ? `\n\n*(${cutOffNote(vscode.l10n.t)})*\n` : '\n');
    if (isCutOff) void offerToContinue(service, title, header, request, lane, result.text);
  } else if (result.status === 'cancelled') {
    await doc.finish(`\n\n*(${vscode.l10n.t('cancelled')})*\n`);
  } else {
    await doc.finish(
      result.partialText
        ? `\n\n*(${vscode.l10n.t('interrupted')})*\n`
        : `\n\n*(${vscode.l10n.t('failed: {0}', result.reason.message)})*\n`,
    );
    const action = await showFailure(result.reason, ['retry', 'continue']);
    if (action === 'retry') return streamToDocument(service, title, header, request, lane);
    if (action === 'continue' && result.partialText)
      return continueInDocument(service, title, header, request, lane, result.partialText);
  }
  return result;
}

function continueInDocument(
  service: PacerService,
  title: string,
  header: string,
  request: MessageRequest,
  lane: 'interactive' | 'command' | 'background',
  partialText: string,
): Promise<RequestResult> {
  return streamToDocument(
    service,
    vscode.l10n.t('{0} (continued)', title),
    `${header}\n\n---\n\n*(${vscode.l10n.t('continued')})*\n\n`,
    continuationRequest(request, partialText),
    lane,
  );
}

async function offerToContinue(
  service: PacerService,
  title: string,
  header: string,
  request: MessageRequest,
  lane: 'interactive' | 'command' | 'background',
  partialText: string,
): Promise<void> {
  const continueLabel = vscode.l10n.t('Continue');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0}: {1}', title, cutOffNote(vscode.l10n.t)),
    continueLabel,
  );
  if (choice === continueLabel) await continueInDocument(service, title, header, request, lane, partialText);
}

/** The "Claude: Ask…" input box; undefined when dismissed. */
export function askForPrompt(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Claude: Ask…'),
    prompt: vscode.l10n.t('Ask Claude anything'),
    ignoreFocusOut: true,
  });
}

/** Claude: Ask… answered in a Markdown document (where the chat view cannot take it). */
export async function askCommand(service: PacerService, prompt: string): Promise<RequestResult> {
  const settings = service.settings;
  const request: MessageRequest = {
    model: settings.model,
    maxTokens: settings.maxOutputTokens,
    messages: [{ role: 'user', content: prompt }],
  };
  return streamToDocument(
    service,
    vscode.l10n.t('Claude: Ask'),
    `**${vscode.l10n.t('You:')}** ${prompt.replace(/\n/g, '  \n')}\n\n**Claude:** `,
    request,
    settings['priority.palette'],
  );
}
