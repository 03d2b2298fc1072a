import * as vscode from 'vscode';
import type { ChatMessageView } from './model/chatProtocol';
import { toMessageViews } from './model/chatConversation';
import { COMMANDS } from '../commandIds';
import type { AgentChat } from '../agent/agentChat';
import type { ProposalStore } from '../commands/proposals';
import type { Logger } from '../service/logger';
import type { PacerService } from '../service/pacerService';
import { ChatController, type ChatAnswerOutcome } from './chatController';
import { registerChatParticipant } from './chatParticipant';
import { CHAT_STATE_KEY, ChatStore } from './chatStore';
import { CHAT_VIEW_ID, ChatViewProvider } from './chatViewProvider';

/** What `claudePacer.chatState` returns: the chat as shown and as stored, without any key. */
export interface ChatStateReport {
  readonly participantId?: string;
  readonly isBusy: boolean;
  readonly conversationId: string;
  readonly messages: readonly ChatMessageView[];
  /** Read back from workspace state, validated. */
  readonly stored?: { readonly conversationId: string; readonly messages: readonly ChatMessageView[] };
  /** The raw workspace-state record, as a reload would find it. */
  readonly storedRecord: unknown;
}

/** Reveals the chat view; false when it cannot be shown (then callers fall back to a document). */
async function revealChat(): Promise<boolean> {
  try {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The chat feature: the webview view in its own activity-bar container, its commands, the
 * conversation persisted per workspace, its agent mode (`agent`), and the `@claude` participant
 * where VS Code has chat.
 * Returns the chat's controller (the extension's own tests drive it as the page does).
 */
export function registerChat(
  context: vscode.ExtensionContext,
  service: PacerService,
  proposals: ProposalStore,
  logger: Logger,
  agent: AgentChat,
): ChatController {
  const controller = new ChatController(service, new ChatStore(context.workspaceState), proposals);
  const provider = new ChatViewProvider(context.extensionUri, controller, agent, logger);
  let participantId: string | undefined;
  try {
    participantId = registerChatParticipant(context, service);
  } catch (error) {
    logger.write('warn', 'chat', `the @claude participant could not be registered: ${String(error)}`);
  }
  logger.write(
    'info',
    'chat',
    participantId ? `@claude registered as ${participantId}` : 'no chat API: @claude not registered',
  );
  context.subscriptions.push(
    controller,
    provider,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider),
    vscode.commands.registerCommand(COMMANDS.newChat, async () => {
      await controller.newChat();
      if (await revealChat()) provider.focusComposer();
    }),
    vscode.commands.registerCommand(COMMANDS.focusChat, async () => {
      if (await revealChat()) provider.focusComposer();
    }),
    vscode.commands.registerCommand(
      COMMANDS.chatAsk,
      async (prompt?: unknown): Promise<ChatAnswerOutcome | undefined> => {
        if (typeof prompt !== 'string' || prompt.trim() === '') return undefined;
        // One answer at a time in the chat: while it is busy, the caller falls back (Ask: a document).
        if (controller.isBusy || !(await revealChat())) return undefined;
        return controller.send(prompt);
      },
    ),
    vscode.commands.registerCommand(COMMANDS.chatState, (): ChatStateReport => {
      const stored = controller.stored();
      return {
        ...(participantId ? { participantId } : {}),
        isBusy: controller.isBusy,
        conversationId: controller.conversation.id,
        messages: toMessageViews(controller.conversation),
        ...(stored ? { stored: { conversationId: stored.id, messages: toMessageViews(stored) } } : {}),
        storedRecord: context.workspaceState.get<unknown>(CHAT_STATE_KEY),
      };
    }),
  );
  return controller;
}
