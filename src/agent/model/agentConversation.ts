import type { ContentBlock, MessageParam, ToolResultBlock } from '../../pacer/index';

const EPHEMERAL = { type: 'ephemeral' } as const;

function withoutBreakpoint(block: ContentBlock): ContentBlock {
  if (block.cache_control === undefined) return block;
  const { cache_control: _dropped, ...rest } = block;
  return rest;
}

function blocksOf(message: MessageParam): readonly ContentBlock[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

/**
 * The conversation with prompt-cache breakpoints on the last block of the growing prefix and on
 * the block that ended the previous step's prefix (`previousEnd` messages): the previous step
 * wrote the cache up to there, so this step reads it and writes only what it adds (a simulator, and
 * an API that looks back only from explicit breakpoints, both hit). At most two of the API's four.
 */
export function withCacheBreakpoints(messages: readonly MessageParam[], previousEnd: number): MessageParam[] {
  const marks = new Set([messages.length - 1, previousEnd - 1].filter((i) => i >= 0 && i < messages.length));
  return messages.map((message, i) => {
    const blocks = blocksOf(message).map(withoutBreakpoint);
    if (!marks.has(i) || blocks.length === 0) return { role: message.role, content: blocks };
    const last = blocks.length - 1;
    return {
      role: message.role,
      content: blocks.map((b, j) => (j === last ? { ...b, cache_control: EPHEMERAL } : b)),
    };
  });
}

/** The names of the tools called, by tool_use id. */
function toolNames(messages: readonly MessageParam[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages)
    for (const block of blocksOf(message)) if (block.type === 'tool_use') names.set(block.id, block.name);
  return names;
}

function resultChars(block: ToolResultBlock): number {
  if (typeof block.content === 'string') return block.content.length;
  return block.content.reduce((n, b) => n + (b.type === 'text' ? b.text.length : 0), 0);
}

/** Marks a compacted result, so it is never compacted twice. */
const COMPACTED = '[compacted]';

/**
 * Replaces the oldest tool result (not in the newest turn, which the model has not seen yet) with a
 * short note naming the tool and its size, so the model can call the tool again if it needs it.
 * Returns undefined when nothing is left to compact.
 */
export function compactOldestToolResult(messages: readonly MessageParam[]): MessageParam[] | undefined {
  const names = toolNames(messages);
  for (let i = 0; i < messages.length - 1; i++) {
    const message = messages[i]!;
    if (typeof message.content === 'string') continue;
    const index = message.content.findIndex(
      (b) => b.type === 'tool_result' && !(typeof b.content === 'string' && b.content.startsWith(COMPACTED)),
    );
    if (index === -1) continue;
    const block = message.content[index] as ToolResultBlock;
    const name = names.get(block.tool_use_id) ?? 'tool';
    const note = `${COMPACTED} The ${name} result (${resultChars(block)} characters) was removed to fit the context; call ${name} again if you need it.`;
    const content = message.content.map((b, j) => (j === index ? { ...block, content: note } : b));
    return messages.map((m, j) => (j === i ? { role: m.role, content } : m));
  }
  return undefined;
}
