import type { TokenizerConfig } from './config';

/** One piece of the prompt in cache order (tools → system → messages). */
export interface PromptBlock {
  /** Canonical JSON of the block (without cache_control), hashed for prompt caching. */
  readonly canonical: string;
  /** The text that counts toward input tokens. */
  readonly text: string;
  /** Cache lifetime if this block is a `cache_control` breakpoint. */
  readonly cacheTtlSec?: number;
  /** Tokens counted on top of `text`: images, by {@link IMAGE_TOKENS} each. */
  readonly extraTokens?: number;
}

/** Input tokens of one image block, whatever its size [I: the API's ~1,600-token cap for an unscaled image; the simulator decodes nothing]. */
export const IMAGE_TOKENS = 1600;

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

function blockText(block: Json): string {
  if (block.type === 'text' && typeof block.text === 'string') return block.text;
  if (block.type === 'tool_use') return `${str(block.name)} ${JSON.stringify(block.input ?? {})}`;
  if (block.type === 'image') return '';
  if (block.type === 'tool_result') {
    const content = block.content;
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) return content.filter(isObject).map(blockText).join('\n');
    return '';
  }
  if (block.name !== undefined && block.input_schema !== undefined) {
    return `${str(block.name)} ${typeof block.description === 'string' ? block.description : ''} ${JSON.stringify(block.input_schema)}`;
  }
  // Other block kinds (documents, thinking…) count by their JSON text: a crude but stable estimate.
  const { cache_control: _ignored, ...rest } = block;
  return JSON.stringify(rest);
}

function imageCount(block: Json): number {
  if (block.type === 'image') return 1;
  if (block.type !== 'tool_result' || !Array.isArray(block.content)) return 0;
  return block.content.filter(isObject).reduce((sum: number, b) => sum + imageCount(b), 0);
}

function toBlock(prefix: string, block: Json, defaultTtlSec: number): PromptBlock {
  const { cache_control: cacheControl, ...rest } = block;
  const ttl = isObject(cacheControl) ? (cacheControl.ttl === '1h' ? 3600 : defaultTtlSec) : undefined;
  const images = imageCount(block);
  return {
    canonical: `${prefix}:${JSON.stringify(rest)}`,
    text: blockText(block),
    ...(ttl !== undefined && { cacheTtlSec: ttl }),
    ...(images > 0 && { extraTokens: images * IMAGE_TOKENS }),
  };
}

function contentBlocks(prefix: string, content: unknown, defaultTtlSec: number): PromptBlock[] {
  if (typeof content === 'string')
    return [{ canonical: `${prefix}:${JSON.stringify(content)}`, text: content }];
  if (!Array.isArray(content)) return [];
  return content.filter(isObject).map((b) => toBlock(prefix, b, defaultTtlSec));
}

/** Flattens a Messages body into prompt blocks in cache-prefix order (tools, system, then messages). */
export function promptBlocks(body: Json, defaultTtlSec: number): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  if (Array.isArray(body.tools))
    for (const t of body.tools.filter(isObject)) blocks.push(toBlock('tool', t, defaultTtlSec));
  blocks.push(...contentBlocks('system', body.system, defaultTtlSec));
  if (Array.isArray(body.messages)) {
    for (const m of body.messages.filter(isObject))
      blocks.push(...contentBlocks(String(m.role), m.content, defaultTtlSec));
  }
  return blocks;
}

/** Input tokens of prompt blocks taken together: their text by the rule, plus their extra tokens. */
export function blockTokens(blocks: readonly PromptBlock[], rule: TokenizerConfig): number {
  const extra = blocks.reduce((sum, b) => sum + (b.extraTokens ?? 0), 0);
  return (
    countTokens(
      blocks.map((b) => b.text),
      rule,
    ) + extra
  );
}

/** Counts tokens of `texts` taken together with the configured rule (chars/charsPerToken or words × tokensPerWord, rounded up). */
export function countTokens(texts: readonly string[], rule: TokenizerConfig): number {
  if (rule.rule === 'chars') {
    const chars = texts.reduce((sum, t) => sum + t.length, 0);
    return Math.ceil(chars / rule.charsPerToken);
  }
  const words = texts.reduce((sum, t) => sum + t.split(/\s+/).filter((w) => w !== '').length, 0);
  // Round away float noise (e.g. 10 × 1.3 = 13.000000000000002) before rounding up.
  return Math.ceil(Math.round(words * rule.tokensPerWord * 1e6) / 1e6);
}
