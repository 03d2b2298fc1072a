import type {
  ContentBlock,
  ImageBlock,
  MessageParam,
  MessageRequest,
  TextBlock,
  ToolDefinition,
  ToolResultBlock,
} from '../../pacer/index';

/** One part of a VS Code language-model message, converted at the editor seam (no `vscode` here). */
export type LmPart =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'data'; readonly mimeType: string; readonly data: Uint8Array }
  | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: unknown }
  | {
      readonly kind: 'toolResult';
      readonly callId: string;
      readonly content: readonly LmPart[];
      readonly isError?: boolean;
    };

/** A message of a provider request; `system` comes from consumers that send a system role. */
export interface LmMessage {
  readonly role: 'user' | 'assistant' | 'system';
  readonly parts: readonly LmPart[];
}

/** A tool a consumer offers; `inputSchema` is a JSON Schema object, passed through. */
export interface LmTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema?: unknown;
}

/** What the mapping needs to know about the request and the model. */
export interface LmRequestOptions {
  readonly model: string;
  readonly maxTokens: number;
  readonly tools?: readonly LmTool[];
  /** True when the consumer requires a tool call (VS Code's `LanguageModelChatToolMode.Required`). */
  readonly isToolRequired?: boolean;
  readonly acceptsImages: boolean;
}

/** Image types the Messages API takes. */
export const IMAGE_MIME_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

const UNANSWERED_CALL = 'The tool call got no result.';
const FIRST_TURN = '(The conversation continues.)';

type Turn = { role: 'user' | 'assistant'; blocks: ContentBlock[] };

/**
 * Maps provider messages to a valid Messages request: system turns to `system`, roles alternating
 * from a user turn, each `tool_use` answered by a `tool_result` at the start of the next user turn,
 * results without their call kept as text, no empty or blank text block, tools passed through.
 */
export function toMessageRequest(messages: readonly LmMessage[], options: LmRequestOptions): MessageRequest {
  const system = messages
    .filter((m) => m.role === 'system')
    .flatMap((m) => m.parts.flatMap((p) => (p.kind === 'text' ? [p.value] : [])))
    .filter(isNonBlank)
    .join('\n\n');
  const turns = alternate(
    messages.flatMap((m): Turn[] => {
      const role = m.role;
      return role === 'system' ? [] : [{ role, blocks: m.parts.flatMap((p) => toBlocks(p, role, options)) }];
    }),
  );
  const paired = pairToolCalls(turns);
  if (paired[0]?.role !== 'user')
    paired.unshift({ role: 'user', blocks: [{ type: 'text', text: FIRST_TURN }] });
  const tools = (options.tools ?? []).map(toToolDefinition);
  return {
    model: options.model,
    maxTokens: options.maxTokens,
    messages: paired.map(finalTurn),
    ...(system !== '' && { system }),
    ...(tools.length > 0 && { tools }),
    ...(tools.length > 0 && options.isToolRequired === true && { toolChoice: { type: 'any' } as const }),
  };
}

function toBlocks(part: LmPart, role: 'user' | 'assistant', options: LmRequestOptions): ContentBlock[] {
  switch (part.kind) {
    case 'text':
      return isNonBlank(part.value) ? [{ type: 'text', text: part.value }] : [];
    case 'data':
      return dataBlocks(part, role === 'user' && options.acceptsImages);
    case 'toolCall':
      return role === 'assistant'
        ? [{ type: 'tool_use', id: wireCallId(part.callId), name: part.name, input: asObject(part.input) }]
        : textBlocks(`Tool call ${part.name}: ${JSON.stringify(part.input)}`);
    case 'toolResult': {
      const content = part.content.flatMap((p): (TextBlock | ImageBlock)[] =>
        p.kind === 'text' || p.kind === 'data'
          ? (toBlocks(p, 'user', options) as (TextBlock | ImageBlock)[])
          : [],
      );
      const block: ToolResultBlock = {
        type: 'tool_result',
        tool_use_id: wireCallId(part.callId),
        content,
        ...(part.isError === true && { is_error: true }),
      };
      return role === 'user' ? [block] : orphanResultText(block);
    }
  }
}

function dataBlocks(part: { mimeType: string; data: Uint8Array }, takesImages: boolean): ContentBlock[] {
  const mime = part.mimeType.toLowerCase();
  if (mime.startsWith('image/')) {
    if (takesImages && IMAGE_MIME_TYPES.includes(mime))
      return [{ type: 'image', source: { type: 'base64', media_type: mime, data: base64(part.data) } }];
    return textBlocks(`[An image (${mime}) was left out: this model does not take it.]`);
  }
  // Text and JSON data are prompt content; other data parts (e.g. cache hints) are not.
  if (mime.startsWith('text/') || mime.includes('json'))
    return textBlocks(new TextDecoder().decode(part.data));
  return [];
}

function pairToolCalls(input: readonly Turn[]): Turn[] {
  const turns = [...input];
  // Calls in the last turn still need results, so they get a user turn to hold them.
  if (turns.at(-1)?.blocks.some((b) => b.type === 'tool_use') === true)
    turns.push({ role: 'user', blocks: [] });
  const seenCallIds = new Set<string>();
  const out: Turn[] = [];
  for (const turn of turns) {
    if (turn.role === 'assistant') {
      const blocks = turn.blocks.flatMap((b): ContentBlock[] => {
        if (b.type !== 'tool_use') return [b];
        if (seenCallIds.has(b.id)) return textBlocks(`Tool call ${b.name}: ${JSON.stringify(b.input)}`);
        seenCallIds.add(b.id);
        return [b];
      });
      out.push({ role: 'assistant', blocks });
      continue;
    }
    const previous = out.at(-1);
    const callIds =
      previous?.role === 'assistant'
        ? previous.blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []))
        : [];
    const answered = new Set<string>();
    const results = turn.blocks.filter(
      (b): b is ToolResultBlock =>
        b.type === 'tool_result' &&
        callIds.includes(b.tool_use_id) &&
        !answered.has(b.tool_use_id) &&
        Boolean(answered.add(b.tool_use_id)),
    );
    const missing = callIds.filter((id) => !answered.has(id)).map(unansweredResult);
    const rest = turn.blocks.flatMap((b) =>
      b.type !== 'tool_result' ? [b] : results.includes(b) ? [] : orphanResultText(b),
    );
    out.push({ role: 'user', blocks: [...results, ...missing, ...rest] });
  }
  // Only the user turn added above can be empty (its calls were repeats, kept as text): drop it.
  return out.filter((turn) => turn.blocks.length > 0);
}

/** Merges neighbouring turns of the same role and drops empty ones. */
function alternate(turns: readonly Turn[]): Turn[] {
  const out: Turn[] = [];
  for (const turn of turns) {
    if (turn.blocks.length === 0) continue;
    const last = out.at(-1);
    if (last !== undefined && last.role === turn.role) last.blocks.push(...turn.blocks);
    else out.push({ role: turn.role, blocks: [...turn.blocks] });
  }
  return out;
}

function finalTurn(turn: Turn, index: number, all: readonly Turn[]): MessageParam {
  // The API rejects a final assistant turn (a prefill) that ends in whitespace.
  if (index === all.length - 1 && turn.role === 'assistant') {
    const last = turn.blocks.at(-1);
    if (last?.type === 'text') turn.blocks[turn.blocks.length - 1] = { ...last, text: last.text.trimEnd() };
  }
  return { role: turn.role, content: turn.blocks };
}

function unansweredResult(id: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: id, content: UNANSWERED_CALL, is_error: true };
}

function orphanResultText(block: ToolResultBlock): ContentBlock[] {
  const parts =
    typeof block.content === 'string'
      ? [block.content]
      : block.content.map((b) => (b.type === 'text' ? b.text : '[image]'));
  return textBlocks(`Result of tool call ${block.tool_use_id}: ${parts.join('\n')}`);
}

function toToolDefinition(tool: LmTool): ToolDefinition {
  const schema = asObject(tool.inputSchema);
  return {
    name: tool.name,
    ...(tool.description !== undefined && tool.description !== '' && { description: tool.description }),
    input_schema: Object.keys(schema).length > 0 ? schema : { type: 'object', properties: {} },
  };
}

/** The API takes ids of `[A-Za-z0-9_-]` only; calls and results map through this alike, so they still match. */
function wireCallId(callId: string): string {
  return callId.replace(/[^A-Za-z0-9_-]/g, '_') || 'call';
}

function textBlocks(text: string): TextBlock[] {
  return isNonBlank(text) ? [{ type: 'text', text }] : [];
}

function isNonBlank(text: string): boolean {
  return text.trim() !== '';
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

function base64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}
