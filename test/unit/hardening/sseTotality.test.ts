// The transport is total on arbitrary response bytes: random and garbled SSE streams, cut at
// random points, ended, broken off or left hanging, through a loopback server and the real SDK
// transport. `send` always resolves with exactly one well-formed outcome and never throws.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../support/manualClock';
import type { AttemptErrorKind, AttemptOutcome, Usage } from '../../../src/pacer/transport';
import {
  frame,
  openingFrames,
  recordingAttempt,
  SECRET,
  transportFor,
  useWireServer,
} from '../transport/wireServer';
import { waitUntil } from '../../support/waitUntil';

const IDLE_MS = 1_000;
const ERROR_KINDS: ReadonlySet<AttemptErrorKind> = new Set<AttemptErrorKind>([
  'rate_limited',
  'ramp_limited',
  'spend_limit',
  'overloaded',
  'server_error',
  'gateway_timeout',
  'connection',
  'timeout',
  'malformed_response',
  'auth',
  'permission',
  'billing',
  'invalid_request',
  'not_found',
  'too_large',
  'aborted',
]);

/** `String(value)`, or a stand-in for values that refuse it (`{ toString: 0 }`). */
function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable]';
  }
}

/** Token counts as a hostile server might send them. */
const count = fc.oneof(
  fc.nat({ max: 100_000 }),
  fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER, 1e308, '12', null, true),
  fc.double(),
);
const usage = fc.record(
  {
    input_tokens: count,
    output_tokens: count,
    cache_read_input_tokens: count,
    cache_creation_input_tokens: count,
  },
  { requiredKeys: [] },
);
const text = fc.string({ unit: fc.constantFrom('grapheme', 'binary', 'binary-ascii'), maxLength: 40 });
const eventName = fc.constantFrom(
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
  'brand_new_event',
);

/** One protocol event, well-formed or with any field replaced. */
const event: fc.Arbitrary<string> = fc.oneof(
  usage.map((u) =>
    frame('message_start', {
      type: 'message_start',
      message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], usage: u },
    }),
  ),
  text.map((t) =>
    frame('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: t },
    }),
  ),
  text.map((t) =>
    frame('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: t },
    }),
  ),
  fc
    .tuple(fc.option(fc.string({ maxLength: 12 })), usage)
    .map(([stop, u]) =>
      frame('message_delta', { type: 'message_delta', delta: { stop_reason: stop }, usage: u }),
    ),
  fc.constant(frame('message_stop', { type: 'message_stop' })),
  fc.constant(frame('ping', { type: 'ping' })),
  fc
    .tuple(fc.constantFrom('overloaded_error', 'rate_limit_error', 'api_error', 'weird_error'), text)
    .map(([type, message]) => frame('error', { type: 'error', error: { type, message } })),
  fc.tuple(eventName, fc.jsonValue({ maxDepth: 3 })).map(([name, data]) => frame(name, data)),
  fc
    .tuple(eventName, fc.anything({ maxDepth: 2 }))
    .map(([name, data]) => `event: ${name}\ndata: ${printable(data)}\n\n`),
);

/** Garbage between or instead of events. */
const garbage: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.uint8Array({ maxLength: 60 }),
  fc.constantFrom(
    'data:\n\n',
    'data: {\n\n',
    ': comment\n',
    'retry: -1\n',
    'event:\r\n\r\n',
    '\n\n\n',
    'data: null\n\n',
  ),
  event.chain((e) => fc.nat({ max: e.length }).map((cut) => e.slice(0, cut))),
);

/** A whole response: status, content type, body pieces cut into chunks, and how it ends. */
const response = fc.record({
  status: fc.constantFrom(200, 200, 200, 200, 500, 529, 429, 400),
  contentType: fc.constantFrom(
    'text/event-stream; charset=utf-8',
    'text/event-stream',
    'application/json',
    'text/html',
    '',
  ),
  opening: fc.boolean(),
  pieces: fc.array(fc.oneof({ weight: 3, arbitrary: event }, { weight: 1, arbitrary: garbage }), {
    maxLength: 12,
  }),
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
  ending: fc.constantFrom('end' as const, 'destroy' as const, 'hang' as const),
});
type Response = typeof response extends fc.Arbitrary<infer T> ? T : never;
const EXAMPLE: Response = {
  status: 200,
  contentType: 'text/event-stream; charset=utf-8',
  opening: true,
  pieces: [],
  cuts: [],
  ending: 'end',
};

function bodyOf(r: Response): Buffer {
  const pieces = [...(r.opening ? openingFrames(['Hi']) : []), ...r.pieces];
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

function write(res: ServerResponse, r: Response): void {
  const body = bodyOf(r);
  const cuts = [...new Set(r.cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  res.writeHead(r.status, {
    ...(r.contentType !== '' && { 'content-type': r.contentType }),
    'request-id': 'req_fuzz',
  });
  // Node holds the headers back until the first body byte; a hanging empty stream must still start.
  res.flushHeaders();
  let at = 0;
  for (const cut of [...cuts, body.length]) {
    if (cut > at) res.write(body.subarray(at, cut));
    at = Math.max(at, cut);
  }
  if (r.ending === 'end') res.end();
  else if (r.ending === 'destroy') res.destroy();
}

function assertUsage(u: Usage): void {
  for (const v of Object.values(u) as unknown[])
    assert.ok(Number.isFinite(v) && (v as number) >= 0, `usage value ${String(v)}`);
}

void describe('transport on arbitrary SSE bytes', () => {
  const wire = useWireServer();

  void it('resolves every send with exactly one well-formed outcome; never throws, never NaN or negative usage', async () => {
    const clock = new ManualClock();
    const transport = transportFor(wire.server, { clock, streamIdleTimeoutMs: IDLE_MS });
    const seen = { success: 0, failure: 0, stalled: 0 };
    try {
      await fc.assert(
        fc.asyncProperty(response, async (r) => {
          wire.server.handle((res) => write(res, r));
          const deltas: string[] = [];
          let isSettled = false;
          let deltasAfterEnd = 0;
          const attempt = recordingAttempt({
            onText: (d) => {
              if (isSettled) deltasAfterEnd++;
              deltas.push(d);
            },
          });
          let settled: AttemptOutcome | undefined;
          let rejection: unknown;
          transport.send(attempt).then(
            (o) => {
              settled = o;
              isSettled = true;
            },
            (e: unknown) => (rejection = e ?? 'rejected'),
          );
          // A hanging stream ends through the idle timeout on the manual clock.
          let turn = 0;
          await waitUntil(
            () => {
              if (++turn % 100 === 0) clock.advance(IDLE_MS);
              return settled !== undefined || rejection !== undefined;
            },
            { what: 'send to resolve', timeoutMs: 10_000 },
          );
          assert.equal(rejection, undefined, 'send rejected');
          const outcome = settled;
          assert.ok(outcome, 'send never resolved');
          for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
          assert.equal(deltasAfterEnd, 0, 'text after the outcome');
          assert.ok(!JSON.stringify(outcome).includes(SECRET), 'the key leaked into the outcome');
          if (outcome.kind === 'success') {
            seen.success++;
            assert.equal(r.status, 200);
            assert.ok(bodyOf(r).includes('message_stop'), 'success without message_stop');
            assert.equal(outcome.text, deltas.join(''));
            assertUsage(outcome.usage);
          } else {
            seen.failure++;
            if (outcome.error.kind === 'timeout') seen.stalled++;
            assert.ok(ERROR_KINDS.has(outcome.error.kind), outcome.error.kind);
            assert.notEqual(outcome.error.message.trim(), '', 'a failure without a message');
            assert.equal(outcome.partialText, deltas.join(''));
            if (outcome.partialUsage) assertUsage(outcome.partialUsage);
          }
        }),
        {
          numRuns: 150,
          // Always among the cases: a complete answer and a stream that hangs after its opening frames.
          examples: [
            [{ ...EXAMPLE, pieces: [frame('message_stop', { type: 'message_stop' })], ending: 'end' }],
            [{ ...EXAMPLE, ending: 'hang' }],
          ],
        },
      );
    } finally {
      transport.dispose();
    }
    // The generator reaches every kind of ending, or the property would prove little.
    assert.ok(seen.success > 0 && seen.failure > 0 && seen.stalled > 0, JSON.stringify(seen));
  });
});

void describe('transport: blank server messages', () => {
  const wire = useWireServer();

  // Fixed bug (src/anthropic/classifyError.ts classifyStatusError / classifyStreamError): the fallback
  // text ("… without an error message") is used only when the message is missing, not when it is
  // '' or blank. A 400 `{"error":{"type":"invalid_request_error","message":"  "}}` becomes an
  // AttemptError with message "  ", so the user reads "Claude: The server refused the request:   "
  // (nothing after the colon); a mid-stream `event: error` with message "" before any output ends,
  // after the retries, as "Gave up after 5 attempts: overloaded mid-stream ()." Expected: the same
  // fallback as for a missing message.
  void it('a blank error message gets the same fallback as a missing one', async () => {
    const transport = transportFor(wire.server);
    try {
      wire.server.handle((res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: '  ' } }));
      });
      const http = await transport.send(recordingAttempt());
      assert.ok(http.kind === 'failure');
      assert.equal(http.error.message, 'The API answered HTTP 400 without an error message.');

      wire.server.handle((res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(frame('error', { type: 'error', error: { type: 'overloaded_error', message: '' } }));
      });
      const stream = await transport.send(recordingAttempt());
      assert.ok(stream.kind === 'failure');
      assert.equal(stream.error.message, 'The stream reported an error without a message.');
    } finally {
      transport.dispose();
    }
  });
});
