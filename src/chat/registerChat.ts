import * as vscode from 'vscode';
import type { ChatMessageView } from './model/chatProtocol';
import { toMessageViews } from './model/chatConversation';
import { COMMANDS } from '../commandIds';
import type { AgentChat } from '../agent/agentChat';
import type { ProposalStore } from '../commands/proposals';
import type { Logger } from '../service/logger';
import type { PacerService } from '../service/pacerService';
import { ChatController } from './chatController';
import { pickAttachments } from './chatAttachPick';
import { exportConversation, showChatHistory } from './chatHistoryPick';
import { pickChatModel } from './chatModelPick';
import { registerChatParticipant } from './chatParticipant';
import type { ChatAnswerOutcome } from './chatPorts';
import { askInChat, revealChat } from './chatQuestions';
import { ChatStore } from './chatStore';
import { CHAT_VIEW_ID, ChatViewProvider } from './chatViewProvider';

/** What `claudePacer.chatState` returns: the chat as shown and as stored, without any key. */
export interface ChatStateReport {
  readonly participantId?: string;
  readonly isBusy: boolean;
  readonly conversationId: string;
  readonly messages: readonly ChatMessageView[];
  /** Read back from workspace state, validated. */
  readonly stored?: { readonly conversationId: string; readonly messages: readonly ChatMessageView[] };
  /** The raw workspace-state record of the history, as a reload would find it. */
  readonly storedRecord: unknown;
  /** The history list, newest first. */
  readonly conversations: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly isCurrent: boolean;
  }>;
  /** The model of the shown conversation's next requests. */
  readonly model: string;
  /** What the picker attached to the next message. */
  readonly picks: ReadonlyArray<{ readonly kind: string; readonly label: string }>;
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
  const store = new ChatStore(context.workspaceState);
  const controller = new ChatController(service, store, proposals);
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
      async (prompt?: unknown): Promise<ChatAnswerOutcome | undefined> =>
        typeof prompt === 'string' ? askInChat(controller, { text: prompt }) : undefined,
    ),
    vscode.commands.registerCommand(COMMANDS.showChatHistory, () => showChatHistory(controller, store)),
    vscode.commands.registerCommand(COMMANDS.exportChat, () => exportConversation(controller.conversation)),
    vscode.commands.registerCommand(COMMANDS.chooseChatModel, () => pickChatModel(service, controller)),
    vscode.commands.registerCommand(COMMANDS.attachToChat, async () => {
      const attached = await pickAttachments(controller);
      if (attached > 0 && (await revealChat())) provider.focusComposer();
      return attached;
    }),
    vscode.commands.registerCommand(COMMANDS.chatState, (): ChatStateReport => {
      const stored = store.peek();
      return {
        ...(participantId ? { participantId } : {}),
        isBusy: controller.isBusy,
        conversationId: controller.conversation.id,
        messages: toMessageViews(controller.conversation),
        ...(stored ? { stored: { conversationId: stored.id, messages: toMessageViews(stored) } } : {}),
        storedRecord: store.record(),
        conversations: store.list().map((c) => ({ id: c.id, title: c.title, isCurrent: c.isCurrent })),
        model: controller.model,
        picks: controller.contextPicks.map((p) => ({ kind: p.attachment.kind, label: p.attachment.label })),
      };
    }),
  );
  return controller;
}
