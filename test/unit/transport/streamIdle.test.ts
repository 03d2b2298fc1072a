// The stream idle timeout: a response that stops sending after its headers ends as a mid-stream timeout.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../support/manualClock';
import {
  createAnthropicTransport,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
} from '../../../src/anthropic/anthropicTransport';
import {
  closingFrames,
  frame,
  KEY_ID,
  openingFrames,
  recordingAttempt,
  SECRET,
  transportFor,
  useWireServer,
  writeSse,
} from './wireServer';
import { waitUntil } from '../../support/waitUntil';

const IDLE_MS = 1_000;
const STALLED = {
  kind: 'timeout',
  message: `No data arrived for ${IDLE_MS} ms after the response started.`,
  midStream: true,
} as const;

/** A fetch that records the body text the client received, chunk by chunk, before the SDK reads it. */
function recordingFetch(): { fetch: typeof fetch; received: () => string } {
  let text = '';
  const decoder = new TextDecoder();
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          text += decoder.decode(chunk, { stream: true });
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, response);
  };
  return { fetch: wrapped, received: () => text };
}

void describe('AnthropicTransport stream idle timeout', () => {
  const wire = useWireServer();
  /** The response the handler left open, to write more into or to check it was closed. */
  let open: ServerResponse | undefined;
  let clock: ManualClock;

  beforeEach(() => {
    open = undefined;
    clock = new ManualClock();
  });

  /** The server sends the headers and `deltas`, then stalls with the response open. */
  function stallAfter(deltas: readonly string[]): void {
    wire.server.handle((res) => {
      open = res;
      writeSse(res, openingFrames(deltas));
    });
  }

  /** The idle watch's one timer: still pending, due `ms` from now (had it given up, no timer would be left). */
  function assertIdleTimerDueIn(ms: number, why: string): void {
    assert.equal(clock.pendingTimers, 1, why);
    assert.equal(clock.nextDueMs(), clock.now() + ms, why);
  }

  void it('fails a stream that stalls after one delta as a mid-stream timeout, keeping the partial text', async () => {
    stallAfter(['Hel']);
    const transport = transportFor(wire.server, { clock, streamIdleTimeoutMs: IDLE_MS });
    const attempt = recordingAttempt();

    const sending = transport.send(attempt);
    await waitUntil(() => attempt.log.includes('text:Hel'), { what: 'the first delta' });
    clock.advance(IDLE_MS - 1);
    assertIdleTimerDueIn(1, 'still waiting 1 ms before the idle timeout');
    clock.advance(1);
    const outcome = await sending;

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, STALLED);
    assert.equal(outcome.partialText, 'Hel');
    assert.deepEqual(outcome.partialUsage, {
      inputTokens: 25,
      outputTokens: 1,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    assert.equal(outcome.headers?.get('request-id'), 'req_stream01');
    assert.deepEqual(attempt.log, ['headers', 'text:Hel']);
    assert.equal(wire.server.requests.length, 1, 'one HTTP request, no retry below the scheduler');
    await waitUntil(() => open?.destroyed === true, { what: 'the server to see the connection closed' });
    assert.equal(clock.pendingTimers, 0, 'no idle timer left behind');
  });

  void it('fails a stream that stalls before any text with empty partial text', async () => {
    stallAfter([]);
    const received = recordingFetch();
    const transport = transportFor(wire.server, {
      clock,
      streamIdleTimeoutMs: IDLE_MS,
      fetch: received.fetch,
    });
    const attempt = recordingAttempt();

    const sending = transport.send(attempt);
    await waitUntil(() => received.received().includes('event: ping'), { what: 'the opening frames' });
    clock.advance(IDLE_MS);
    const outcome = await sending;

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, STALLED);
    assert.equal(outcome.partialText, '');
    assert.equal(outcome.partialUsage?.inputTokens, 25);
    assert.deepEqual(attempt.log, ['headers']);
  });

  void it('restarts the idle period on every delta', async () => {
    stallAfter(['one ']);
    const transport = transportFor(wire.server, { clock, streamIdleTimeoutMs: IDLE_MS });
    const attempt = recordingAttempt();

    const sending = transport.send(attempt);
    await waitUntil(() => attempt.log.includes('text:one '), { what: 'the first delta' });
    clock.advance(800);
    open?.write(
      frame('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'two' },
      }),
    );
    await waitUntil(() => attempt.log.includes('text:two'), { what: 'the second delta' });
    clock.advance(800);
    assertIdleTimerDueIn(200, '1,600 ms since the headers but only 800 ms since the last delta');
    clock.advance(200);
    const outcome = await sending;

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, STALLED);
    assert.equal(outcome.partialText, 'one two');
  });

  void it('counts pings as activity although the SDK never hands them over', async () => {
    stallAfter(['Hi']);
    const received = recordingFetch();
    const transport = transportFor(wire.server, {
      clock,
      streamIdleTimeoutMs: IDLE_MS,
      fetch: received.fetch,
    });
    const attempt = recordingAttempt();
    const pings = (): number => received.received().split('event: ping').length - 1;

    const sending = transport.send(attempt);
    await waitUntil(() => attempt.log.includes('text:Hi'), { what: 'the first delta' });
    for (let i = 1; i <= 3; i++) {
      clock.advance(900);
      open?.write(frame('ping', { type: 'ping' }));
      await waitUntil(() => pings() === 1 + i, { what: `ping ${i}` });
    }
    // The check at 1,900 ms found the ping of 1,800 ms and re-armed for what was left of its period.
    assertIdleTimerDueIn(100, '2,700 ms of pings only: the connection is alive');
    open?.write([...closingFrames(1)].join(''));
    open?.end();
    const outcome = await sending;

    assert.equal(outcome.kind, 'success');
    assert.equal(outcome.text, 'Hi');
    assert.equal(clock.pendingTimers, 0);
  });

  void it('leaves no timer behind after a complete stream and never fires afterwards', async () => {
    wire.server.handle((res) => {
      writeSse(res, [...openingFrames(['done']), ...closingFrames(1)]);
      res.end();
    });
    const transport = transportFor(wire.server, { clock, streamIdleTimeoutMs: IDLE_MS });

    const outcome = await transport.send(recordingAttempt());
    clock.advance(10 * IDLE_MS);

    assert.equal(outcome.kind, 'success');
    assert.equal(outcome.text, 'done');
    assert.equal(clock.pendingTimers, 0);
  });

  void it('reports a cancellation during a stall as aborted, not as a timeout', async () => {
    stallAfter(['Hel']);
    const controller = new AbortController();
    const transport = transportFor(wire.server, { clock, streamIdleTimeoutMs: IDLE_MS });
    const attempt = recordingAttempt({ signal: controller.signal });

    const sending = transport.send(attempt);
    await waitUntil(() => attempt.log.includes('text:Hel'), { what: 'the first delta' });
    clock.advance(IDLE_MS - 1);
    controller.abort();
    clock.advance(1);
    const outcome = await sending;

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'aborted',
      message: 'The request was cancelled.',
      midStream: true,
    });
    assert.equal(outcome.partialText, 'Hel');
    assert.equal(clock.pendingTimers, 0);
  });

  void it('classifies an error response whose body stalls by its status', async () => {
    wire.server.handle((res) => {
      open = res;
      res.writeHead(529, { 'content-type': 'application/json', 'request-id': 'req_stall529' });
      res.write('{"type":"error","error":{"type":"overloaded_');
    });
    const received = recordingFetch();
    const transport = transportFor(wire.server, {
      clock,
      streamIdleTimeoutMs: IDLE_MS,
      fetch: received.fetch,
    });
    const attempt = recordingAttempt();

    const sending = transport.send(attempt);
    await waitUntil(() => received.received().includes('overloaded_'), {
      what: 'the start of the error body',
    });
    clock.advance(IDLE_MS);
    const outcome = await sending;

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'overloaded');
    assert.equal(outcome.error.status, 529);
    assert.equal(outcome.error.midStream, false);
    assert.equal(outcome.headers?.get('request-id'), 'req_stall529');
    assert.deepEqual(attempt.log, []);
  });

  void it('ends a count_tokens call whose body stalls as a timeout', async () => {
    wire.server.handle((res) => {
      open = res;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"input_tok');
    });
    const received = recordingFetch();
    const transport = transportFor(wire.server, {
      clock,
      streamIdleTimeoutMs: IDLE_MS,
      fetch: received.fetch,
    });

    const counting = transport.countTokens({
      keyId: KEY_ID,
      model: 'claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'Count me.' }],
    });
    await waitUntil(() => received.received().includes('input_tok'), { what: 'the start of the body' });
    clock.advance(IDLE_MS);
    const outcome = await counting;

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, { ...STALLED, midStream: false });
  });

  void it('runs on the system clock by default', async () => {
    stallAfter(['Hel']);
    const transport = transportFor(wire.server, { streamIdleTimeoutMs: 50 });
    const outcome = await transport.send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'timeout',
      message: 'No data arrived for 50 ms after the response started.',
      midStream: true,
    });
    assert.equal(outcome.partialText, 'Hel');
  });

  void it('defaults to 60 s and rejects a non-positive or non-finite idle timeout', () => {
    assert.equal(DEFAULT_STREAM_IDLE_TIMEOUT_MS, 60_000);
    for (const streamIdleTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () =>
          createAnthropicTransport({
            baseUrl: wire.server.url,
            secretFor: () => SECRET,
            timeoutMs: 5_000,
            streamIdleTimeoutMs,
          }),
        {
          name: 'TypeError',
          message: `Expected streamIdleTimeoutMs to be a positive number, got \`${streamIdleTimeoutMs}\` (number)`,
        },
      );
    }
  });
});
