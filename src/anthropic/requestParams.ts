import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, MessageRequest, TextBlock } from '../pacer/index';

/** The streaming Messages body for a request; sampling parameters are never sent (API 2026-10-21 rejects them). */
export function toStreamingParams(request: MessageRequest): Anthropic.MessageCreateParamsStreaming {
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map(toSdkMessage),
    ...(request.system !== undefined && { system: toSdkContent(request.system) }),
    stream: true,
  };
}

/** The count_tokens body for a prompt. */
export function toCountTokensParams(prompt: {
  readonly model: string;
  readonly messages: readonly MessageParam[];
  readonly system?: string | readonly TextBlock[];
}): Anthropic.MessageCountTokensParams {
  return {
    model: prompt.model,
    messages: prompt.messages.map(toSdkMessage),
    ...(prompt.system !== undefined && { system: toSdkContent(prompt.system) }),
  };
}

function toSdkMessage(message: MessageParam): Anthropic.MessageParam {
  return { role: message.role, content: toSdkContent(message.content) };
}

function toSdkContent(content: string | readonly TextBlock[]): string | Anthropic.TextBlockParam[] {
  if (typeof content === 'string') return content;
  return content.map((block) => ({
    type: 'text',
    text: block.text,
    ...(block.cache_control !== undefined && { cache_control: { ...block.cache_control } }),
  }));
}
