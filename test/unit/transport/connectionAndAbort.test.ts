import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  closingFrames,
  openingFrames,
  recordingAttempt,
  SECRET,
  transportFor,
  useWireServer,
  writeSse,
} from './wireServer';
import { startLoopbackServer } from '../../support/loopbackServer';

void describe('AnthropicTransport.send on connection failures, timeouts and aborts', () => {
  const wire = useWireServer();

  void it('reports a socket destroyed before the headers as a connection failure, once', async () => {
    wire.server.handle((res) => res.socket?.destroy());

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'connection');
    assert.equal(outcome.error.midStream, false);
    assert.equal(outcome.error.status, undefined);
    assert.match(outcome.error.message, /^Could not reach the API \(.+\)\.$/);
    assert.equal(outcome.headers, undefined);
    assert.equal(wire.server.requests.length, 1);
  });

  void it('reports a refused connection as a connection failure naming the cause', async () => {
    const closed = await startLoopbackServer();
    await closed.close();

    const outcome = await transportFor(closed).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'connection');
    assert.match(outcome.error.message, /ECONNREFUSED/);
  });

  void it('reports headers that never come within the timeout as timeout, and sends no second request', async () => {
    wire.server.handle(() => {});

    const outcome = await transportFor(wire.server, { timeoutMs: 200 }).send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'timeout',
      message: 'No response headers arrived within the 200 ms timeout.',
      midStream: false,
    });
    // A retry (the SDK's own, were it on) would come within a second. On a starved machine the timeout can fire
    // before the server read the one request (CI once saw none), so "at most one" is what holds. (The fetch
    // pool opens an idle socket after the aborted one closes; it carries no request, so sockets are not counted.)
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.ok(wire.server.requests.length <= 1, `requests: ${wire.server.requests.length}`);
  });

  void it('reads a changed timeout per request (settings apply without a reload)', async () => {
    wire.server.handle(() => {});
    let current = 60_000;
    const transport = transportFor(wire.server, { timeoutMs: 60_000, currentTimeoutMs: () => current });
    current = 150;
    const outcome = await transport.send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'timeout');
    assert.equal(outcome.error.message, 'No response headers arrived within the 150 ms timeout.');
  });

  void it('returns aborted without any request when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    const outcome = await transportFor(wire.server).send(recordingAttempt({ signal: controller.signal }));

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'aborted',
      message: 'The request was cancelled.',
      midStream: false,
    });
    assert.equal(wire.server.requests.length, 0);
  });

  void it('returns aborted when the signal fires before the headers', async () => {
    const controller = new AbortController();
    wire.server.handle(() => controller.abort());

    const outcome = await transportFor(wire.server).send(recordingAttempt({ signal: controller.signal }));

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'aborted',
      message: 'The request was cancelled.',
      midStream: false,
    });
    assert.equal(outcome.headers, undefined);
  });

  void it('returns aborted mid-stream with the partial text, usage and headers', async () => {
    const controller = new AbortController();
    wire.server.handle((res) => writeSse(res, openingFrames(['one ', 'two'])));
    const attempt = recordingAttempt({
      signal: controller.signal,
      onText: (delta) => {
        if (delta === 'two') controller.abort();
      },
    });

    const outcome = await transportFor(wire.server).send(attempt);

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'aborted',
      message: 'The request was cancelled.',
      midStream: true,
    });
    assert.equal(outcome.partialText, 'one two');
    assert.equal(outcome.partialUsage?.inputTokens, 25);
    assert.equal(outcome.headers?.get('request-id'), 'req_stream01');
  });

  void it('aborts requests in flight on dispose and refuses new ones', async () => {
    wire.server.handle((res) => writeSse(res, openingFrames(['wait'])));
    const transport = transportFor(wire.server);
    let disposed = false;
    const attempt = recordingAttempt({
      onText: () => {
        disposed = true;
        transport.dispose();
      },
    });

    const outcome = await transport.send(attempt);
    const later = await transport.send(recordingAttempt());

    assert.equal(disposed, true);
    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'aborted',
      message: 'The transport was disposed.',
      midStream: true,
    });
    assert.equal(outcome.partialText, 'wait');
    assert.equal(later.kind, 'failure');
    assert.equal(later.error.kind, 'aborted');
    assert.equal(wire.server.requests.length, 1);
  });
});

void describe('AnthropicTransport key handling', () => {
  const wire = useWireServer();
  before(() => {
    wire.server.handle((res) => {
      writeSse(res, [...openingFrames(['hi']), ...closingFrames(1)]);
      res.end();
    });
  });

  void it('fails with auth and sends nothing when the key is no longer stored', async () => {
    const outcome = await transportFor(wire.server).send(recordingAttempt({ keyId: 'key-gone' }));

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'auth',
      message: 'API key "key-gone" is no longer stored.',
      midStream: false,
    });
    assert.equal(wire.server.requests.length, 0);
  });

  void it('fails with auth when the secret cannot be sent as a header, without quoting it', async () => {
    const transport = transportFor(wire.server, { secretFor: () => `${SECRET}\n` });

    const outcome = await transport.send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.equal(outcome.error.kind, 'auth');
    assert.equal(JSON.stringify(outcome).includes(SECRET), false);
    assert.equal(wire.server.requests.length, 0);
  });

  void it('fails with auth when reading the secret throws', async () => {
    const transport = transportFor(wire.server, {
      secretFor: () => {
        throw new Error('storage locked');
      },
    });

    const outcome = await transport.send(recordingAttempt());

    assert.equal(outcome.kind, 'failure');
    assert.deepEqual(outcome.error, {
      kind: 'auth',
      message: 'API key "key-main" could not be read.',
      midStream: false,
    });
  });

  void it('uses the current secret and base URL for every request', async () => {
    const other = await startLoopbackServer();
    other.handle((res) => {
      writeSse(res, [...openingFrames(['there']), ...closingFrames(1)]);
      res.end();
    });
    let secret = 'sk-ant-first';
    let baseUrl = wire.server.url;
    const transport = transportFor(wire.server, { secretFor: () => secret, baseUrl: () => baseUrl });

    await transport.send(recordingAttempt());
    secret = 'sk-ant-second';
    await transport.send(recordingAttempt());
    baseUrl = other.url;
    const moved = await transport.send(recordingAttempt());
    await other.close();

    assert.deepEqual(
      wire.server.requests.map((request) => request.headers.authorization),
      ['Bearer sk-ant-first', 'Bearer sk-ant-second'],
    );
    assert.equal(other.requests.length, 1);
    assert.equal(other.requests[0]?.headers.authorization, 'Bearer sk-ant-second');
    assert.equal(moved.kind, 'success');
  });
});
