import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatController } from './chatController';
import type { ChatAnswerOutcome } from './chatPorts';
import { copyCode } from './chatEditorActions';
import { answerMarkdown, editedAndResent, regenerated } from './model/conversationEdits';

/**
 * The answer actions of the chat page on the host: Copy writes the answer's Markdown to the
 * clipboard; Regenerate and Edit-and-resend rewrite the conversation and answer through the
 * controller (one answer at a time, so a double press sends once). Refusals show in the notice line.
 */

/** Copies answer `messageId`'s Markdown, as it stands, to the clipboard. */
export async function copyAnswer(chat: ChatController, messageId: string): Promise<void> {
  const text = answerMarkdown(chat.conversation, messageId);
  if (text === undefined) {
    chat.notify({ level: 'error', text: vscode.l10n.t('That answer has no text to copy.') });
    return;
  }
  chat.notify(await copyCode(text));
}

/** Asks the last question again, replacing answer `messageId`. */
export async function regenerate(chat: ChatController, messageId: string): Promise<void> {
  const outcome = await chat.rewrite((conversation, start) =>
    regenerated(conversation, messageId, { ...start, answerId: randomUUID() }),
  );
  noticeRefusal(chat, outcome);
}

/** Sends `text` in place of user message `messageId`, dropping the messages after it. */
export async function resend(chat: ChatController, messageId: string, text: string): Promise<void> {
  const ids: [string, string] = [randomUUID(), randomUUID()];
  const outcome = await chat.rewrite((conversation, start) =>
    editedAndResent(conversation, messageId, { ...start, text, ids }),
  );
  noticeRefusal(chat, outcome);
}

function noticeRefusal(chat: ChatController, outcome: ChatAnswerOutcome | undefined): void {
  if (outcome?.status === 'busy') {
    chat.notify({
      level: 'error',
      text: vscode.l10n.t('An answer is in progress: wait for it to end, or stop it, first.'),
    });
  } else if (!outcome) {
    chat.notify({ level: 'error', text: vscode.l10n.t('That message changed; nothing was sent.') });
  }
}
