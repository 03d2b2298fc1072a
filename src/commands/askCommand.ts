import * as vscode from 'vscode';
import type { MessageRequest, RequestResult } from '../pacer/index';
import { CONTINUE_PROMPT } from '../chat/model/chatRequest';
import type { PacerService } from '../service/pacerService';
import { AnswerDocument } from './answerDocument';
import { showFailure } from './failureNotice';
import { runWithProgress } from './requestProgress';

/**
 * Sends `request` and streams the answer into a Markdown document. On an interruption the partial
 * answer stays, marked, and "Continue" asks Claude to carry on from it.
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
    await doc.finish('\n');
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
    if (action === 'continue' && result.partialText) {
      const continued: MessageRequest = {
        ...request,
        messages: [
          ...request.messages,
          { role: 'assistant', content: result.partialText },
          { role: 'user', content: CONTINUE_PROMPT },
        ],
      };
      return streamToDocument(
        service,
        vscode.l10n.t('{0} (continued)', title),
        `${header}\n\n---\n\n*(${vscode.l10n.t('continued')})*\n\n`,
        continued,
        lane,
      );
    }
  }
  return result;
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
