import * as vscode from 'vscode';
import type { ChatTurn, ContextAttachment, Conversation } from './model/chatConversation';
import { buildAnswerRequest, chatRequestOptions, CONTINUE_PROMPT } from './model/chatRequest';
import { waitProgressLine } from './model/chatWait';
import { answerEndingOf, cutOffNote } from './model/answerEnding';
import { InertMarkdownStream } from './model/inertMarkdown';
import type { PacerService } from '../service/pacerService';
import { AnswerRun } from './answerRun';

/** Id of the `@claude` participant (package.json `chatParticipants`). */
export const PARTICIPANT_ID = 'claude-pacer.claude';

/** The part of `vscode.ChatResponseStream` the participant uses (a recording fake satisfies it in tests). */
export interface ParticipantStream {
  markdown(value: string): void;
  progress(value: string): void;
}

/** The part of `vscode.ChatRequest` the participant reads. */
export interface ParticipantRequest {
  readonly prompt: string;
  readonly references?: readonly vscode.ChatPromptReference[];
}

/** The part of `vscode.ChatContext` the participant reads: earlier turns of this participant. */
export interface ParticipantContext {
  readonly history: readonly unknown[];
}

/** What the handler returns (structurally a `vscode.ChatResult`). */
export interface ParticipantResult {
  readonly errorDetails?: { readonly message: string };
  readonly metadata?: { readonly status: string; readonly model?: string };
}

function historyTurns(history: readonly unknown[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  history.forEach((turn, i) => {
    if (typeof turn !== 'object' || turn === null) return;
    if ('prompt' in turn && typeof turn.prompt === 'string') {
      turns.push({ id: `h${i}`, role: 'user', text: turn.prompt, status: 'complete', createdAtMs: 0 });
    } else if ('response' in turn && Array.isArray(turn.response)) {
      const text = (turn.response as unknown[])
        .map((part) => {
          if (typeof part !== 'object' || part === null || !('value' in part)) return '';
          const value: unknown = part.value;
          if (typeof value === 'string') return value;
          return typeof value === 'object' &&
            value !== null &&
            'value' in value &&
            typeof value.value === 'string'
            ? value.value
            : '';
        })
        .join('');
      turns.push({ id: `h${i}`, role: 'assistant', text, status: 'complete', createdAtMs: 0 });
    }
  });
  return turns;
}

async function referenceAttachments(
  references: readonly vscode.ChatPromptReference[],
): Promise<ContextAttachment[]> {
  const out: ContextAttachment[] = [];
  for (const ref of references) {
    const value = ref.value;
    try {
      if (value instanceof vscode.Uri) {
        const doc = await vscode.workspace.openTextDocument(value);
        const label = vscode.workspace.asRelativePath(value, false);
        out.push({ kind: 'file', label, text: doc.getText(), language: doc.languageId });
      } else if (value instanceof vscode.Location) {
        const doc = await vscode.workspace.openTextDocument(value.uri);
        const label = `${vscode.workspace.asRelativePath(value.uri, false)}:${value.range.start.line + 1}-${value.range.end.line + 1}`;
        out.push({ kind: 'selection', label, text: doc.getText(value.range), language: doc.languageId });
      }
    } catch {
      // A reference that cannot be read is left out; the prompt still goes.
    }
  }
  return out;
}

/**
 * The `@claude` handler: answers through the same scheduler as the chat view, streaming the text
 * and reporting waits (which limit, countdown, queue position) as progress in the response stream.
 */
export function createParticipantHandler(
  service: PacerService,
): (
  request: ParticipantRequest,
  context: ParticipantContext,
  stream: ParticipantStream,
  token: vscode.CancellationToken,
) => Promise<ParticipantResult> {
  return async (request, context, stream, token) => {
    const attachments = await referenceAttachments(request.references ?? []);
    const user: ChatTurn = {
      id: 'request',
      role: 'user',
      text: request.prompt,
      status: 'complete',
      createdAtMs: Date.now(),
      ...(attachments.length > 0 ? { context: attachments } : {}),
    };
    const turns = [...historyTurns(context.history), user];
    const conversation: Conversation = { id: 'participant', turns };
    const plan = buildAnswerRequest(
      conversation,
      turns.length,
      chatRequestOptions(service.settings, Date.now()),
    );
    let hasText = false;
    // Model output reaches VS Code's own Markdown renderer: images and raw HTML are made inert first.
    const inert = new InertMarkdownStream();
    const run = new AnswerRun(service, {
      plan,
      label: '@claude',
      onText: (delta) => {
        hasText = true;
        const lines = inert.push(delta);
        if (lines !== '') stream.markdown(lines);
      },
    });
    const cancelSubscription = token.onCancellationRequested(() => run.stop());
    let lastKey = '';
    const report = (): void => {
      if (hasText) return;
      const now = Date.now();
      const banner = run.waitBanner('participant', now, vscode.l10n.t);
      if (!banner) return;
      const line = waitProgressLine(banner, now, vscode.l10n.t);
      if (line.key === lastKey) return;
      lastKey = line.key;
      stream.progress(line.text);
    };
    try {
      const ending = answerEndingOf(await run.settled(report), hasText, vscode.l10n.t);
      const rest = inert.end();
      if (rest !== '') stream.markdown(rest);
      switch (ending.kind) {
        case 'completed':
          return { metadata: { status: 'completed', model: ending.model } };
        case 'cutOff':
          stream.markdown(`\n\n*(${cutOffNote(vscode.l10n.t)})*`);
          return { metadata: { status: CUT_OFF_STATUS, model: ending.model } };
        case 'stopped':
          if (hasText) stream.markdown(`\n\n*(${vscode.l10n.t('stopped')})*`);
          return { metadata: { status: 'cancelled' } };
        case 'interrupted':
          stream.markdown(`\n\n*(${vscode.l10n.t('interrupted: {0}', ending.advice)})*`);
          return { metadata: { status: 'interrupted' } };
        case 'failed':
          return { errorDetails: { message: ending.advice }, metadata: { status: 'failed' } };
      }
    } finally {
      cancelSubscription.dispose();
    }
  };
}

/** The `metadata.status` of an `@claude` answer cut off at the output limit. */
export const CUT_OFF_STATUS = 'cutOff';

/** The follow-ups offered under an `@claude` answer: Continue when it was cut off at the output limit. */
export function participantFollowups(result: vscode.ChatResult): vscode.ChatFollowup[] {
  if (result.metadata?.['status'] !== CUT_OFF_STATUS) return [];
  return [{ prompt: CONTINUE_PROMPT, label: vscode.l10n.t('Continue the answer') }];
}

/**
 * Registers `@claude` where VS Code's chat API exists; returns its id, or undefined when the API is
 * absent (older VS Code, other editors) and the extension runs without it.
 */
export function registerChatParticipant(
  context: vscode.ExtensionContext,
  service: PacerService,
): string | undefined {
  const chat = (vscode as { readonly chat?: Partial<typeof vscode.chat> }).chat;
  if (typeof chat?.createChatParticipant !== 'function') return undefined;
  const participant = chat.createChatParticipant(PARTICIPANT_ID, createParticipantHandler(service));
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'chat', 'icon.svg');
  participant.followupProvider = { provideFollowups: (result) => participantFollowups(result) };
  context.subscriptions.push(participant);
  return PARTICIPANT_ID;
}
