import { runCodeAction } from './chatEditorActions';
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { WebviewMessage } from './model/chatProtocol';
import type { ChatController } from './chatController';
import type { AgentChat } from '../agent/agentChat';
import { copyAnswer, regenerate, resend } from './answerActions';

/** Routes a validated message from the chat page to what it asks of the chat or of its agent mode. */
export async function routePageMessage(
  chat: ChatController,
  agent: AgentChat,
  message: WebviewMessage,
): Promise<void> {
  switch (message.type) {
    case 'ready':
      chat.showAll();
      agent.showAll();
      return;
    case 'sendAgent':
      await agent.start(message.text, chat.conversation.turns.at(-1)?.id);
      return;
    case 'cancelAgent':
      agent.cancel(message.runId);
      return;
    case 'reviewAgent':
      await agent.reviewAction(message.runId, message.action);
      return;
    case 'send':
      await chat.sendOrQueue(message.text);
      return;
    case 'cancelQueued':
      chat.cancelQueued(message.messageId);
      return;
    case 'stop':
      chat.stop();
      return;
    case 'retryNow':
      chat.retryNow();
      return;
    case 'useFallback':
      chat.useFallback();
      return;
    case 'newChat':
      agent.clear();
      await chat.newChat();
      return;
    case 'resume':
      await chat.resume(message.messageId);
      return;
    case 'copyCode':
    case 'insertCode':
    case 'applyCode':
    case 'openLink':
      chat.notify(await runCodeAction(chat.proposals, message));
      return;
    case 'attach':
      await vscode.commands.executeCommand(COMMANDS.attachToChat);
      return;
    case 'detach':
      chat.changeContext((chips) => chips.detach(message.key));
      return;
    case 'pickModel':
      await vscode.commands.executeCommand(COMMANDS.chooseChatModel);
      return;
    case 'showHistory':
      await vscode.commands.executeCommand(COMMANDS.showChatHistory);
      return;
    case 'switchModel':
      chat.useFallback(message.model);
      return;
    case 'toggleContext':
      chat.changeContext((chips) => chips.toggle(message.kind, message.isEnabled));
      return;
    case 'copyAnswer':
      await copyAnswer(chat, message.messageId);
      return;
    case 'regenerate':
      await regenerate(chat, message.messageId);
      return;
    case 'resend':
      await resend(chat, message.messageId, message.text);
      return;
  }
}
