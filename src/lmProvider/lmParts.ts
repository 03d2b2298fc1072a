import * as vscode from 'vscode';
import { toLmPart } from './model/lmPartShapes';
import type { LmMessage } from './model/lmRequest';

/** Converts VS Code's request messages to the pure model's messages (parts by shape: see `toLmPart`). */
export function toLmMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): LmMessage[] {
  return messages.map((message) => ({
    role:
      message.role === vscode.LanguageModelChatMessageRole.User
        ? 'user'
        : message.role === vscode.LanguageModelChatMessageRole.Assistant
          ? 'assistant'
          : 'system',
    parts: message.content.flatMap(toLmPart),
  }));
}
