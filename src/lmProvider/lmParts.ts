import * as vscode from 'vscode';
import type { LmMessage, LmPart } from './model/lmRequest';

/**
 * Converts VS Code's request messages to the pure model's parts. Parts are recognised by shape,
 * not `instanceof`: classes such as `LanguageModelDataPart` are missing from older editors, and an
 * unknown part (thinking, prompt-tsx) is skipped rather than failing the request.
 */
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

/** One part (or a plain string) as zero or one model parts. */
export function toLmPart(part: unknown): LmPart[] {
  if (typeof part === 'string') return [{ kind: 'text', value: part }];
  if (typeof part !== 'object' || part === null) return [];
  const p = part as Record<string, unknown>;
  if (typeof p.callId === 'string' && typeof p.name === 'string' && 'input' in p)
    return [{ kind: 'toolCall', callId: p.callId, name: p.name, input: p.input }];
  if (typeof p.callId === 'string' && Array.isArray(p.content)) {
    const isError = p.isError === true;
    return [
      {
        kind: 'toolResult',
        callId: p.callId,
        content: p.content.flatMap(toLmPart),
        ...(isError && { isError }),
      },
    ];
  }
  if (typeof p.value === 'string') return [{ kind: 'text', value: p.value }];
  if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array)
    return [{ kind: 'data', mimeType: p.mimeType, data: p.data }];
  return [];
}
