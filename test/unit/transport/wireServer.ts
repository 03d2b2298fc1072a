// Transport tests' wire: a loopback server per describe block (test/support/loopbackServer.ts) whose
// handler each test installs to write exact wire bytes, a transport aimed at it, and SSE builders.
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach } from 'node:test';
import type { Attempt, MessageRequest } from '../../../src/pacer/transport';
import {
  createAnthropicTransport,
  type AnthropicTransportOptions,
} from '../../../src/anthropic/anthropicTransport';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopbackServer';

/** The test key's secret; every test checks it never shows up in an outcome. */
export const SECRET = 'sk-ant-api03-TESTSECRET-0123456789abcdefABCDEF';
/** The one stored key id the test transports know. */
export const KEY_ID = 'key-main';

/** One wire server for the enclosing describe block: started before, closed after, requests cleared before each test. */
export function useWireServer(): { readonly server: LoopbackServer } {
  const holder = {} as { server: LoopbackServer };
  before(async () => {
    holder.server = await startLoopbackServer();
  });
  after(() => holder.server.close());
  beforeEach(() => {
    holder.server.requests.length = 0;
  });
  return holder;
}

/** A transport aimed at `server` with one stored key. */
export function transportFor(server: LoopbackServer, overrides: Partial<AnthropicTransportOptions> = {}) {
  return createAnthropicTransport({
    baseUrl: server.url,
    secretFor: (keyId) => (keyId === KEY_ID ? SECRET : undefined),
    timeoutMs: 5_000,
    ...overrides,
  });
}

/** A minimal valid request. */
export const REQUEST: MessageRequest = {
  model: 'claude-sonnet-5-5',
  maxTokens: 256,
  messages: [{ role: 'user', content: 'Say hello.' }],
};

/** An attempt that records callbacks in order into `log` ("headers", "text:<delta>"). */
export function recordingAttempt(overrides: Partial<Attempt> = {}): Attempt & { readonly log: string[] } {
  const log: string[] = [];
  return {
    requestId: 'sched-1',
    keyId: KEY_ID,
    request: REQUEST,
    attemptNumber: 1,
    signal: new AbortController().signal,
    onText: (delta) => log.push(`text:${delta}`),
    onHeaders: () => log.push('headers'),
    ...overrides,
    log,
  };
}

/** One SSE frame with a JSON payload. */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_stream01' };

/** Starts a 200 SSE response and writes `frames`; the caller decides how it ends. */
export function writeSse(
  res: ServerResponse,
  frames: readonly string[],
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  for (const text of frames) res.write(text);
}

/** Writes a JSON response. */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** The SSE frames up to and including the text deltas of a normal answer. */
export function openingFrames(deltas: readonly string[], usage: Record<string, number> = {}): string[] {
  return [
    frame('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        content: [],
        model: REQUEST.model,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 25, output_tokens: 1, ...usage },
      },
    }),
    frame('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    frame('ping', { type: 'ping' }),
    ...deltas.map((text) =>
      frame('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      }),
    ),
  ];
}

/** The frames that close a normal answer. */
export function closingFrames(outputTokens: number, stopReason = 'end_turn'): string[] {
  return [
    frame('content_block_stop', { type: 'content_block_stop', index: 0 }),
    frame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
    frame('message_stop', { type: 'message_stop' }),
  ];
}

/** An Anthropic error envelope. */
export function errorBody(type: string, message: string, extra: Record<string, unknown> = {}): unknown {
  const { request_id, ...errorExtra } = extra;
  return {
    type: 'error',
    error: { type, message, ...errorExtra },
    ...(request_id !== undefined && { request_id }),
  };
}
