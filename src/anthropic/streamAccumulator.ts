import type { TextBlock, ToolUseBlock, Usage } from '../pacer/index';
import { MalformedResponseError } from './classifyError';

type MutableUsage = { -readonly [K in keyof Usage]: Usage[K] };

/** A block being streamed: text so far, or a tool call whose input JSON is still arriving. */
type OpenBlock =
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; id: string; name: string; json: string; input?: Record<string, unknown> };

const USAGE_FIELDS: readonly (readonly [keyof Usage, string])[] = [
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cacheCreationInputTokens', 'cache_creation_input_tokens'],
  ['cacheReadInputTokens', 'cache_read_input_tokens'],
];

/**
 * Folds Messages stream events (already JSON-parsed, untrusted) into text, usage and stop reason,
 * forwarding each text delta as it arrives. Throws `MalformedResponseError` on events of a known type
 * with the wrong shape; unknown event and delta types are skipped, as the API asks.
 */
export class StreamAccumulator {
  readonly #onText: (delta: string) => void;
  #text = '';
  #usage: MutableUsage | undefined;
  #stopReason: string | null = null;
  #isComplete = false;
  readonly #blocks: OpenBlock[] = [];
  readonly #blockAt = new Map<number, OpenBlock>();

  constructor(onText: (delta: string) => void) {
    this.#onText = onText;
  }

  /** All text forwarded so far. */
  get text(): string {
    return this.#text;
  }

  /** Usage as of the latest event, or undefined before `message_start`. */
  get usage(): Usage | undefined {
    return this.#usage === undefined ? undefined : { ...this.#usage };
  }

  get stopReason(): string | null {
    return this.#stopReason;
  }

  /** The reply's blocks so far, in order; a tool call appears once its block has stopped. */
  get content(): (TextBlock | ToolUseBlock)[] {
    const out: (TextBlock | ToolUseBlock)[] = [];
    for (const block of this.#blocks) {
      if (block.kind === 'text') out.push({ type: 'text', text: block.text });
      else if (block.input !== undefined)
        out.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
    }
    return out;
  }

  /** True once `message_stop` arrived. */
  get isComplete(): boolean {
    return this.#isComplete;
  }

  /** Applies one event. */
  accept(event: unknown): void {
    if (!isRecord(event) || typeof event.type !== 'string') {
      throw new MalformedResponseError('a stream event has no type');
    }
    switch (event.type) {
      case 'message_start':
        this.#acceptMessageStart(event);
        return;
      case 'content_block_start':
        this.#acceptBlockStart(event);
        return;
      case 'content_block_delta':
        this.#acceptBlockDelta(event);
        return;
      case 'content_block_stop':
        this.#acceptBlockStop(event);
        return;
      case 'message_delta':
        this.#acceptMessageDelta(event);
        return;
      case 'message_stop':
        this.#isComplete = true;
        return;
    }
  }

  #acceptMessageStart(event: Record<string, unknown>): void {
    const message = event.message;
    if (!isRecord(message)) throw new MalformedResponseError('message_start carries no message');
    this.#usage = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    this.#applyUsage(message.usage, 'message_start');
  }

  #acceptBlockStart(event: Record<string, unknown>): void {
    const block = event.content_block;
    if (!isRecord(block)) throw new MalformedResponseError('content_block_start carries no content_block');
    if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string')
        throw new MalformedResponseError('a tool_use block has no id or name');
      this.#open(event.index, { kind: 'tool_use', id: block.id, name: block.name, json: '' });
      return;
    }
    if (block.type !== 'text') return;
    this.#open(event.index, { kind: 'text', text: '' });
    // The API starts text blocks empty, but any text it does put here is part of the answer.
    if (typeof block.text === 'string' && block.text !== '') this.#append(block.text, event.index);
  }

  #acceptBlockStop(event: Record<string, unknown>): void {
    const block = typeof event.index === 'number' ? this.#blockAt.get(event.index) : undefined;
    if (block?.kind !== 'tool_use' || block.input !== undefined) return;
    let input: unknown;
    try {
      // A tool without parameters streams no input_json_delta at all.
      input = block.json === '' ? {} : JSON.parse(block.json);
    } catch {
      throw new MalformedResponseError(`the input of tool call ${block.name} is not JSON`);
    }
    if (!isRecord(input))
      throw new MalformedResponseError(`the input of tool call ${block.name} is not an object`);
    block.input = input;
  }

  #open(index: unknown, block: OpenBlock): void {
    this.#blocks.push(block);
    if (typeof index === 'number') this.#blockAt.set(index, block);
  }

  #acceptBlockDelta(event: Record<string, unknown>): void {
    const delta = event.delta;
    if (!isRecord(delta)) throw new MalformedResponseError('content_block_delta carries no delta');
    if (delta.type === 'input_json_delta') {
      const block = typeof event.index === 'number' ? this.#blockAt.get(event.index) : undefined;
      if (block?.kind !== 'tool_use' || typeof delta.partial_json !== 'string')
        throw new MalformedResponseError('an input_json_delta does not belong to a tool_use block');
      block.json += delta.partial_json;
      return;
    }
    if (delta.type !== 'text_delta') return;
    if (typeof delta.text !== 'string') throw new MalformedResponseError('a text_delta has no text');
    this.#append(delta.text, event.index);
  }

  #acceptMessageDelta(event: Record<string, unknown>): void {
    const delta = event.delta;
    if (!isRecord(delta)) throw new MalformedResponseError('message_delta carries no delta');
    const stopReason = delta.stop_reason;
    if (typeof stopReason === 'string') this.#stopReason = stopReason;
    this.#usage ??= { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    this.#applyUsage(event.usage, 'message_delta');
  }

  /** Overwrites the fields present: message_delta counts are cumulative, not increments. */
  #applyUsage(raw: unknown, eventType: string): void {
    if (raw === undefined || raw === null) return;
    if (!isRecord(raw)) throw new MalformedResponseError(`${eventType} usage is not an object`);
    const usage = this.#usage;
    if (usage === undefined) return;
    for (const [field, wireName] of USAGE_FIELDS) {
      const value = raw[wireName];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new MalformedResponseError(`${eventType} usage.${wireName} is not a token count`);
      }
      usage[field] = value;
    }
  }

  #append(delta: string, index: unknown): void {
    let block = typeof index === 'number' ? this.#blockAt.get(index) : this.#blocks.at(-1);
    if (block?.kind !== 'text') {
      block = { kind: 'text', text: '' };
      this.#open(index, block);
    }
    block.text += delta;
    this.#text += delta;
    this.#onText(delta);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
