import * as vscode from 'vscode';
import type { ChatController } from './chatController';
import type { ChatAnswerOutcome } from './chatPorts';
import { CHAT_VIEW_ID } from './chatViewProvider';
import type { ContextAttachment } from './model/chatConversation';

/** A question for the chat from a command (Ask, Explain Selection), with the context it is about. */
export interface ChatQuestion {
  readonly text: string;
  /** Shown as chips on the user message and sent as fenced blocks; default: none. */
  readonly attachments?: readonly ContextAttachment[];
}

/** Asks a question in the chat view; undefined when the view cannot be shown (the caller then answers in a document). */
export type AskInChat = (question: ChatQuestion) => Promise<ChatAnswerOutcome | undefined>;

/** Reveals the chat view; false when it cannot be shown. */
export async function revealChat(): Promise<boolean> {
  try {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reveals the chat and sends `question` there: answered now, or queued behind the answer in
 * progress (then `queued`, and it is sent when that answer ends, like a follow-up typed there).
 */
export async function askInChat(
  chat: ChatController,
  question: ChatQuestion,
): Promise<ChatAnswerOutcome | undefined> {
  if (question.text.trim() === '' || !(await revealChat())) return undefined;
  const attachments = question.attachments ?? [];
  if (chat.isBusy || chat.followUps.messages.length > 0) {
    await chat.sendOrQueue(question.text, attachments);
    return { messageId: '', status: 'queued', text: '' };
  }
  return chat.send(question.text, attachments);
}
