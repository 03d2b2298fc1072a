import type { CountTokensRequest, MessageRequest } from '../pacer/index';

/** The count_tokens request that counts `request` as sent with `keyId`: its model, messages, system prompt and tools. */
export function countTokensRequestFor(keyId: string, request: MessageRequest): CountTokensRequest {
  return {
    keyId,
    model: request.model,
    messages: request.messages,
    ...(request.system !== undefined ? { system: request.system } : {}),
    ...(request.tools !== undefined ? { tools: request.tools } : {}),
    ...(request.toolChoice !== undefined ? { toolChoice: request.toolChoice } : {}),
  };
}
