import { parseSimulatorConfig, startSimulator, type RunningSimulator } from '../../sim/simulator';
import { startLoopbackServer, type LoopbackServer } from '../support/loopbackServer';

/** Organization of the chat checks' simulator. */
export const CHAT_ORG = '7e57c0de-0000-4000-8000-0000000000c1';
/** Its key; passed as a demo key, so nothing is stored in the browser's SecretStorage. */
export const CHAT_KEY = 'sk-ant-sim-uicheck-chat-key1';

/** Starts the simulator in this process with the chat checks' limits and reply pace. */
export function startChatSimulator(options: {
  readonly requestsPerMinute: number;
  readonly tokensPerSecond: number;
  readonly replyTokens: readonly [number, number];
  /** @default 1_000_000 */
  readonly inputTokensPerMinute?: number;
  /** `shaped`: answers like real ones (a heading, prose, a list, code), for pictures. @default 'words' */
  readonly replyStyle?: 'shaped' | 'words';
  /** `retry-after` seconds of a 529 (an `overloaded` fault). @default none */
  readonly overloadedRetryAfterSec?: number;
}): Promise<RunningSimulator> {
  return startSimulator({
    config: parseSimulatorConfig({
      seed: 11,
      reply: {
        minOutputTokens: options.replyTokens[0],
        maxOutputTokens: options.replyTokens[1],
        tokensPerSecond: options.tokensPerSecond,
        ...(options.replyStyle ? { style: options.replyStyle } : {}),
      },
      ...(options.overloadedRetryAfterSec !== undefined
        ? { overloaded: { shouldRetry: true, retryAfterSec: options.overloadedRetryAfterSec } }
        : {}),
      organizations: [
        {
          id: CHAT_ORG,
          keys: [CHAT_KEY],
          limits: {
            default: {
              requestsPerMinute: options.requestsPerMinute,
              inputTokensPerMinute: options.inputTokensPerMinute ?? 1_000_000,
              outputTokensPerMinute: 400_000,
            },
          },
        },
      ],
    }),
    port: 0,
  });
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** One reply of a scripted server and the stop reason it ends with. */
export interface ScriptedReply {
  readonly text: string;
  readonly stopReason: 'end_turn' | 'max_tokens';
}

/**
 * A stand-in for the Messages API that streams fixed replies (the simulator only generates
 * words): used to check that hostile Markdown renders inert, and how cut-off replies are handled.
 * Streams in a few pieces; the n-th Messages request gets the n-th reply (the last one repeats).
 */
export function startScriptedReplyServer(script: string | readonly ScriptedReply[]): Promise<LoopbackServer> {
  const replies: readonly ScriptedReply[] =
    typeof script === 'string' ? [{ text: script, stopReason: 'end_turn' }] : script;
  let served = 0;
  return startLoopbackServer((res, req) => {
    if (req.method !== 'POST' || !req.path.startsWith('/v1/messages')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'request-id': 'req_scripted',
    });
    res.write(
      sse('message_start', {
        type: 'message_start',
        message: {
          id: 'msg_scripted',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-6',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 20, output_tokens: 1 },
        },
      }),
    );
    res.write(
      sse('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
    );
    const { text: reply, stopReason } = replies[Math.min(served++, replies.length - 1)]!;
    const pieces = reply.match(/[\s\S]{1,40}/g) ?? [];
    for (const text of pieces)
      res.write(
        sse('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text },
        }),
      );
    res.write(sse('content_block_stop', { type: 'content_block_stop', index: 0 }));
    res.write(
      sse('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: pieces.length },
      }),
    );
    res.end(sse('message_stop', { type: 'message_stop' }));
  });
}

/**
 * The same workbench URL with more extension-host environment: the harness passes no simulator to
 * UI checks, so the chat checks point the extension at their own (a new page load is a new extension host).
 */
export function withExtensionEnvironment(
  workbenchUrl: string,
  env: Readonly<Record<string, string>>,
): string {
  const url = new URL(workbenchUrl);
  const pairs = JSON.parse(url.searchParams.get('payload') ?? '[]') as [string, string][];
  const index = pairs.findIndex(([key]) => key === 'extensionEnvironment');
  const current = index >= 0 ? (JSON.parse(pairs[index]![1]) as Record<string, string>) : {};
  const merged: [string, string] = ['extensionEnvironment', JSON.stringify({ ...current, ...env })];
  if (index >= 0) pairs[index] = merged;
  else pairs.push(merged);
  url.searchParams.set('payload', JSON.stringify(pairs));
  return url.toString();
}

/** Environment that points the extension at a server with the chat checks' demo key. */
export function serverEnvironment(baseUrl: string): Record<string, string> {
  return { CLAUDE_PACER_BASE_URL: baseUrl, CLAUDE_PACER_DEMO_KEYS: CHAT_KEY };
}
