import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { WebviewMessage } from './model/chatProtocol';
import type { ChatController } from './chatController';

/** Routes a validated message from the chat page to what it asks of the chat. */
export async function routePageMessage(chat: ChatController, message: WebviewMessage): Promise<void> {
  switch (message.type) {
    case 'ready':
      chat.showAll();
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
      await chat.newChat();
      return;
    case 'resume':
      await chat.resume(message.messageId);
      return;
    case 'copyCode':
    case 'insertCode':
    case 'applyCode':
    case 'openLink':
      await chat.runCodeAction(message);
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
  }
}
