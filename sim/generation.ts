import type { SimTimer } from './simClock';
import type { Exchange } from './exchange';
import type { Fault } from './faultSpec';
import type { InputUsage } from './promptCache';
import type { LimitTarget } from './rateLimiter';
import type { ReplyPlan } from './replies';
import { malformedSseEvent, sseErrorEvent, sseEvent } from './sse';
import type { SimState } from './state';
import type { RequestOutcome } from './stats';

/** An admitted request ready to generate its reply. */
export interface ReplyJob {
  readonly state: SimState;
  readonly ex: Exchange;
  readonly target: LimitTarget;
  readonly model: string;
  readonly usage: InputUsage;
  readonly reply: ReplyPlan;
  readonly fault: Fault | undefined;
  /** Output tokens reserved at admission (legacy regime; 0 in real time), settled against what was generated. */
  readonly reservedOutput: number;
}

/** The `usage` object of a message with `outputTokens` generated. */
export function usageJson(usage: InputUsage, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.ephemeral5mInputTokens,
      ephemeral_1h_input_tokens: usage.ephemeral1hInputTokens,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** Emits tokens at the configured pace on the simulator clock, metering OTPM, until done or stopped. */
class Generation {
  readonly #job: ReplyJob;
  readonly #onToken: (index: number) => boolean;
  readonly #onEnd: () => void;
  #next = 0;
  #emitted = 0;
  #isDone = false;
  #timer: SimTimer | undefined;
  readonly #cancel = (): void => this.stop('client_closed');

  constructor(job: ReplyJob, onToken: (index: number) => boolean, onEnd: () => void) {
    this.#job = job;
    this.#onToken = onToken;
    this.#onEnd = onEnd;
  }

  /** Tokens generated (and, in real time, debited) so far. */
  get emitted(): number {
    return this.#emitted;
  }

  start(): void {
    this.#job.ex.res.on('close', this.#cancel);
    this.#job.state.inflight.add(this.#cancel);
    this.#step();
  }

  /** Counts one generated token against OTPM. */
  meter(): void {
    const { state, target, ex } = this.#job;
    this.#emitted++;
    ex.record.outputTokens = this.#emitted;
    if (state.config.otpmRegime !== 'realtime') return;
    state.limiter.debit(target, 'output', 1, state.clock.now());
    state.stats.debit(target.org.id, target.cls.id, 'outputTokens', 1);
  }

  /** Ends generation: settles a legacy reservation down to what was generated and records the outcome. */
  stop(outcome: RequestOutcome): void {
    if (this.#isDone) return;
    this.#isDone = true;
    const { state, target, ex, reservedOutput } = this.#job;
    if (this.#timer) state.clock.clearTimer(this.#timer);
    state.inflight.delete(this.#cancel);
    const unused = reservedOutput - this.#emitted;
    if (unused > 0) {
      state.limiter.refund(target, 'output', unused, state.clock.now());
      state.stats.debit(target.org.id, target.cls.id, 'outputTokens', -unused);
    }
    ex.finish(outcome);
  }

  #step(): void {
    const { state, reply } = this.#job;
    const tokensPerSecond = state.config.reply.tokensPerSecond;
    while (!this.#isDone) {
      if (this.#next >= reply.tokens.length) {
        this.#onEnd();
        return;
      }
      if (tokensPerSecond > 0 && this.#timer === undefined) {
        this.#timer = state.clock.setTimer(() => this.#step(), 1000 / tokensPerSecond);
        return;
      }
      this.#timer = undefined;
      if (!this.#onToken(this.#next++)) return;
    }
  }
}

/** Streams the reply as SSE (spec §3.3), applying a mid-stream fault after its `afterDeltas` deltas. */
export function streamReply(job: ReplyJob): void {
  const { ex, state, usage, reply, model, fault } = job;
  const n = reply.tokens.length;
  const write = (chunk: string): void => void (ex.isOpen && ex.res.write(chunk));
  const faultAt = fault && 'afterDeltas' in fault ? Math.min(fault.afterDeltas, n) : -1;
  let lastPingMs = state.clock.now();
  const blockAt = reply.blocks.flatMap((block, index) => Array<number>(block.tokenCount).fill(index));
  function startBlock(index: number): void {
    const block = reply.blocks[index]!;
    const content_block =
      block.type === 'tool_use'
        ? { type: 'tool_use', id: block.id, name: block.name, input: {} }
        : { type: 'text', text: '' };
    write(sseEvent('content_block_start', { type: 'content_block_start', index, content_block }));
  }
  const gen = new Generation(
    job,
    (i) => applyFault(i) && emit(i),
    () => applyFault(n) && end(),
  );

  // Returns false when the fault ended the stream.
  function applyFault(sent: number): boolean {
    if (sent !== faultAt || fault === undefined) return true;
    if (fault.kind === 'malformed_sse') write(malformedSseEvent);
    if (fault.kind === 'stream_error') {
      write(sseErrorEvent(fault.errorType, ex.requestId));
      gen.stop('stream_error');
      ex.res.end();
      return false;
    }
    if (fault.kind === 'stream_close') {
      gen.stop('stream_closed');
      // Close after what was written is flushed, but without the final chunk: a dropped connection mid-body.
      ex.req.socket.destroySoon();
      return false;
    }
    return true;
  }
  function emit(i: number): boolean {
    gen.meter();
    const index = blockAt[i]!;
    if (i > 0 && blockAt[i - 1] !== index) {
      write(sseEvent('content_block_stop', { type: 'content_block_stop', index: index - 1 }));
      startBlock(index);
    }
    const piece = reply.tokens[i];
    const delta =
      reply.blocks[index]!.type === 'tool_use'
        ? { type: 'input_json_delta', partial_json: piece }
        : { type: 'text_delta', text: piece };
    write(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta }));
    const nowMs = state.clock.now();
    if (nowMs - lastPingMs >= state.config.reply.pingIntervalSec * 1000) {
      lastPingMs = nowMs;
      write(sseEvent('ping', { type: 'ping' }));
    }
    return true;
  }
  function end(): boolean {
    write(sseEvent('content_block_stop', { type: 'content_block_stop', index: reply.blocks.length - 1 }));
    const delta = { stop_reason: reply.stopReason, stop_sequence: null };
    // Cumulative counts, input fields included as the current API sends them.
    const cumulative = {
      input_tokens: usage.inputTokens,
      cache_creation_input_tokens: usage.cacheCreationInputTokens,
      cache_read_input_tokens: usage.cacheReadInputTokens,
      output_tokens: gen.emitted,
    };
    write(sseEvent('message_delta', { type: 'message_delta', delta, usage: cumulative }));
    write(sseEvent('message_stop', { type: 'message_stop' }));
    gen.stop('complete');
    ex.res.end();
    return false;
  }

  ex.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const message = {
    id: state.newId('msg'),
    type: 'message',
    role: 'assistant',
    content: [],
    model,
    stop_reason: null,
    stop_sequence: null,
  };
  write(
    sseEvent('message_start', { type: 'message_start', message: { ...message, usage: usageJson(usage, 1) } }),
  );
  startBlock(0);
  write(sseEvent('ping', { type: 'ping' }));
  gen.start();
}

/** The content blocks of a whole reply, as a Message JSON lists them. */
function contentBlocks(reply: ReplyPlan): Record<string, unknown>[] {
  let start = 0;
  return reply.blocks.map((block) => {
    const pieces = reply.tokens.slice(start, (start += block.tokenCount));
    if (block.type === 'text') return { type: 'text', text: pieces.join('') };
    return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
  });
}

/** Generates the whole reply, then sends one Message JSON (or, under `malformed_json`, a truncated one). */
export function jsonReply(job: ReplyJob): void {
  const { ex, state, usage, reply, model, fault } = job;
  const gen = new Generation(
    job,
    () => {
      gen.meter();
      return true;
    },
    () => {
      gen.stop('complete');
      const message = {
        id: state.newId('msg'),
        type: 'message',
        role: 'assistant',
        model,
        content: contentBlocks(reply),
        stop_reason: reply.stopReason,
        stop_sequence: null,
        usage: usageJson(usage, gen.emitted),
      };
      const json = JSON.stringify(message);
      // The record's outcome is already 'complete'; sendJson only writes.
      ex.sendJson(200, fault?.kind === 'malformed_json' ? json.slice(0, Math.floor(json.length / 2)) : json);
    },
  );
  gen.start();
}
