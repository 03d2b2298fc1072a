import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  MessageParam,
  MessageRequest,
  TextBlock,
  ToolChoice,
  ToolDefinition,
} from '../pacer/index';

/** The streaming Messages body for a request; sampling parameters are never sent (API 2026-10-21 rejects them). */
export function toStreamingParams(request: MessageRequest): Anthropic.MessageCreateParamsStreaming {
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map(toSdkMessage),
    ...(request.system !== undefined && { system: toSdkContent(request.system) }),
    ...toolParams(request),
    stream: true,
  };
}

/** The count_tokens body for a prompt. */
export function toCountTokensParams(prompt: {
  readonly model: string;
  readonly messages: readonly MessageParam[];
  readonly system?: string | readonly TextBlock[];
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
}): Anthropic.MessageCountTokensParams {
  return {
    model: prompt.model,
    messages: prompt.messages.map(toSdkMessage),
    ...(prompt.system !== undefined && { system: toSdkContent(prompt.system) }),
    ...toolParams(prompt),
  };
}

function toolParams(request: {
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
}): { tools?: Anthropic.Tool[]; tool_choice?: Anthropic.ToolChoice } {
  // An empty tools list is left out: the API rejects tool_choice without tools.
  if (request.tools === undefined || request.tools.length === 0) return {};
  return {
    tools: request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined && { description: tool.description }),
      input_schema: { type: 'object', ...tool.input_schema },
    })),
    ...(request.toolChoice !== undefined && { tool_choice: { ...request.toolChoice } }),
  };
}

function toSdkMessage(message: MessageParam): Anthropic.MessageParam {
  return { role: message.role, content: toSdkContent(message.content) };
}

function toSdkContent(content: string | readonly TextBlock[]): string | Anthropic.TextBlockParam[];
function toSdkContent(content: string | readonly ContentBlock[]): string | Anthropic.ContentBlockParam[];
function toSdkContent(content: string | readonly ContentBlock[]): string | Anthropic.ContentBlockParam[] {
  if (typeof content === 'string') return content;
  return content.map(toSdkBlock);
}

function toSdkBlock(block: ContentBlock): Anthropic.ContentBlockParam {
  const cache = block.cache_control !== undefined && { cache_control: { ...block.cache_control } };
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text, ...cache };
    case 'image':
      return {
        type: 'image',
        source: { ...block.source } as Anthropic.Base64ImageSource,
        ...cache,
      };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: { ...block.input }, ...cache };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.tool_use_id,
        content:
          typeof block.content === 'string'
            ? block.content
            : (block.content.map(toSdkBlock) as Anthropic.ToolResultBlockParam['content']),
        ...(block.is_error !== undefined && { is_error: block.is_error }),
        ...cache,
      };
  }
}
