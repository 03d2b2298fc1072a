import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttemptError } from '../../../src/pacer/transport';
import {
  closingFrames,
  frame,
  openingFrames,
  recordingAttempt,
  SECRET,
  useWireServer,
  transportFor,
  writeJson,
  writeSse,
} from './wireServer';

const PARTIAL_USAGE = {
  inputTokens: 25,
  outputTokens: 1,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
};

function errorFrame(type: string, message: string, extra: Record<string, unknown> = {}): string {
  return frame('error', {
    type: 'error',
    error: { details: null, type, message, ...extra },
    request_id: 'req_mid',
  });
}

interface StreamErrorCase {
  readonly name: string;
  readonly frame: string;
  readonly expected: AttemptError;
}

const STREAM_ERROR_CASES: readonly StreamErrorCase[] = [
  {
    name: 'overloaded_error',
    frame: errorFrame('overloaded_error', 'Overloaded'),
    expected: {
      kind: 'overloaded',
      type: 'overloaded_error',
      message: 'Overloaded',
      serverRequestId: 'req_stream01',
      midStream: true,
    },
  },
  {
    name: 'rate_limit_error',
    frame: errorFrame('rate_limit_error', 'Rate limited'),
    expected: {
      kind: 'rate_limited',
      type: 'rate_limit_error',
      message: 'Rate limited',
      serverRequestId: 'req_stream01',
      midStream: true,
    },
  },
  {
    name: 'api_error',
    frame: errorFrame('api_error', 'Internal wire.server error'),
    expected: {
      kind: 'server_error',
      type: 'api_error',
      message: 'Internal wire.server error',
      serverRequestId: 'req_stream01',
      midStream: true,
    },
  },
  {
    name: 'an unknown error type',
    frame: errorFrame('brand_new_error', 'Something new'),
    expected: {
      kind: 'server_error',
      type: 'brand_new_error',
      message: 'Something new',
      serverRequestId: 'req_stream01',
      midStream: true,
    },
  },
  {
    name: 'rate_limit_error carrying a spend-limit code',
    frame: errorFrame('rate_limit_error', 'Cap reached', {
      details: { error_code: 'enforced_spend_limit_reached' },
    }),
    expected: {
      kind: 'spend_limit',
      type: 'rate_limit_error',
      message: 'Cap reached',
      errorCode: 'enforced_spend_limit_reached',
      serverRequestId: 'req_stream01',
      midStream: true,
    },
  },
  {
    name: 'an error frame whose data is not JSON',
    frame: 'event: error\ndata: upstream exploded\n\n',
    expected: {
      kind: 'server_error',
      message: 'The stream reported an error without a message.',
      serverRequestId: 'req_stream01',
      midStream: true,
    },
  },
];

void describe('AnthropicTransport.send on failures after the 200 headers', () => {
  const wire = useWireServer();

  for (const testCase of STREAM_ERROR_CASES) {
    void it(`classifies an event: error frame with ${testCase.name}, keeping partial text and usage`, async () => {
      wire.server.handle((res) => {
        writeSse(res, [...openingFrames(['Hel', 'lo']), testCase.frame]);
        res.end();
      });
      const attempt = recordingAttempt();

      const outcome = await transportFor(wire.server).send(attempt);

      assert.equal(outcome.kind, 'failure');
      assert.deepEqual(outcome.error, testCase.expected);
      assert.equal(outcome.partialText, 'Hello');
      assert.deepEqual(outcome.partialUsage, PARTIAL_USAGE);
      assert.equal(outcome.headers?.get('request-id'), 'req_stream01');
      assert.deepEqual(attempt.log, ['headers', 'text:Hel', 'text:lo']);
      assert.equal(wire.server.requests.length, 1);
    });
  }

  void it('classifies a rate_limit_error as the first frame, before any text', async () => {
    wire.server.handle((res) => {
      writeSse(res, [errorFrame('rate_limit_error', 'Rate limited')]);
      res.end();
    });

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'rate_limited');
    assert.equal(outcome.error.midStream, true);
    assert.equal(outcome.partialText, '');
    assert.equal(outcome.partialUsage, undefined);
  });

  void it('reports a socket closed mid-stream as a mid-stream connection failure', async () => {
    wire.server.handle((res) => {
      writeSse(res, openingFrames(['Par', 'tial']));
      res.write(': flush\n\n', () => res.socket?.destroy());
    });

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'connection');
    assert.equal(outcome.error.midStream, true);
    assert.equal(outcome.error.status, undefined);
    assert.equal(outcome.partialText, 'Partial');
    assert.deepEqual(outcome.partialUsage, PARTIAL_USAGE);
    assert.equal(outcome.headers?.get('request-id'), 'req_stream01');
  });

  void it('reports a stream that ends cleanly without message_stop as a mid-stream connection failure', async () => {
    wire.server.handle((res) => {
      writeSse(res, openingFrames(['cut']));
      res.end();
    });

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'connection',
      message: 'The stream ended before message_stop.',
      midStream: true,
    });
    assert.equal(outcome.partialText, 'cut');
  });

  void it('reports a frame with invalid JSON as malformed_response', async () => {
    wire.server.handle((res) => {
      writeSse(res, [
        ...openingFrames(['ok']),
        'event: content_block_delta\ndata: {"type": "content_block_de\n\n',
      ]);
      res.end();
    });

    const outcome = await transportFor(wire.server, { logger: { warn: () => {}, error: () => {} } }).send(
      recordingAttempt(),
    );

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'malformed_response');
    assert.equal(outcome.error.midStream, true);
    assert.equal(outcome.partialText, 'ok');
  });

  void it('reports a known event with the wrong shape as malformed_response', async () => {
    wire.server.handle((res) => {
      writeSse(res, [
        ...openingFrames(['ok']),
        frame('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: 42 },
        }),
        ...closingFrames(2),
      ]);
      res.end();
    });

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'malformed_response',
      message: 'The response is not valid Messages API output (a text_delta has no text).',
      midStream: true,
    });
  });

  void it('reports negative usage counts as malformed_response', async () => {
    wire.server.handle((res) => {
      writeSse(res, openingFrames(['x'], { input_tokens: -3 }));
      res.end();
    });

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'malformed_response');
  });

  void it('reports a 200 that is not an event stream as malformed_response', async () => {
    wire.server.handle((res) => writeJson(res, 200, { id: 'msg_1', type: 'message', content: [] }));
    const attempt = recordingAttempt();

    const outcome = await transportFor(wire.server).send(attempt);

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'malformed_response',
      message:
        'The response is not valid Messages API output (expected an event stream, got content-type application/json).',
      midStream: true,
    });
    assert.deepEqual(attempt.log, ['headers']);
    assert.equal(JSON.stringify(outcome).includes(SECRET), false);
  });
});
