import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  closingFrames,
  frame,
  KEY_ID,
  openingFrames,
  recordingAttempt,
  REQUEST,
  SECRET,
  useWireServer,
  transportFor,
  writeSse,
} from './wireServer';

void describe('AnthropicTransport.send on a successful stream', () => {
  const wire = useWireServer();

  void it('forwards deltas in order after onHeaders and returns text, usage, stop reason and request id', async () => {
    wire.server.handle((res) => {
      writeSse(res, [...openingFrames(['Hel', 'lo', ' world']), ...closingFrames(15)], {
        'anthropic-ratelimit-output-tokens-remaining': '12000',
      });
      res.end();
    });
    const transport = transportFor(wire.server);
    const attempt = recordingAttempt();

    const outcome = await transport.send(attempt);

    assert.deepEqual(attempt.log, ['headers', 'text:Hel', 'text:lo', 'text: world']);
    assert.equal(outcome.kind, 'success');
    assert.equal(outcome.text, 'Hello world');
    assert.deepEqual(outcome.usage, {
      inputTokens: 25,
      outputTokens: 15,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    assert.equal(outcome.stopReason, 'end_turn');
    assert.equal(outcome.serverRequestId, 'req_stream01');
    assert.equal(outcome.headers.get('anthropic-ratelimit-output-tokens-remaining'), '12000');
    assert.equal(wire.server.requests.length, 1);
  });

  void it('takes input fields from message_start and overwrites cumulative fields from each message_delta', async () => {
    const delta = (usage: Record<string, number>) =>
      frame('message_delta', { type: 'message_delta', delta: { stop_reason: null }, usage });
    wire.server.handle((res) => {
      writeSse(res, [
        ...openingFrames(['a'], {
          input_tokens: 2,
          cache_creation_input_tokens: 19826,
          cache_read_input_tokens: 11590,
        }),
        delta({ output_tokens: 7 }),
        delta({ output_tokens: 12, cache_read_input_tokens: 11600 }),
        ...closingFrames(20, 'max_tokens'),
      ]);
      res.end();
    });

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'success');
    assert.deepEqual(outcome.usage, {
      inputTokens: 2,
      outputTokens: 20,
      cacheCreationInputTokens: 19826,
      cacheReadInputTokens: 11600,
    });
    assert.equal(outcome.stopReason, 'max_tokens');
  });

  void it('sends exactly the request fields, streaming, with Bearer auth and no sampling parameters', async () => {
    wire.server.handle((res) => {
      writeSse(res, [...openingFrames(['ok']), ...closingFrames(2)]);
      res.end();
    });
    const request = {
      ...REQUEST,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }] as const,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Context', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'Go.' },
      ] as const,
    };

    const outcome = await transportFor(wire.server).send(recordingAttempt({ request }));

    assert.equal(outcome.kind, 'success');
    const [received] = wire.server.requests;
    assert.ok(received);
    assert.equal(received.method, 'POST');
    assert.equal(received.path, '/v1/messages');
    assert.equal(received.headers.authorization, `Bearer ${SECRET}`);
    assert.equal(received.headers['x-api-key'], undefined);
    assert.equal(received.headers['x-stainless-retry-count'], '0');
    assert.deepEqual(JSON.parse(received.body), {
      model: REQUEST.model,
      max_tokens: REQUEST.maxTokens,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Context', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'Go.' },
      ],
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      stream: true,
    });
  });

  void it('ignores unknown events and non-text deltas, and keeps text a content_block_start carries', async () => {
    wire.server.handle((res) => {
      writeSse(res, [
        ...openingFrames([]),
        frame('future_event', { type: 'future_event', payload: 1 }),
        frame('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'thinking_delta', thinking: 'hmm' },
        }),
        frame('content_block_start', {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'text', text: 'Pre' },
        }),
        frame('content_block_delta', {
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'text_delta', text: 'fix' },
        }),
        ...closingFrames(3),
      ]);
      res.end();
    });
    const attempt = recordingAttempt();

    const outcome = await transportFor(wire.server).send(attempt);

    assert.equal(outcome.kind, 'success');
    assert.equal(outcome.text, 'Prefix');
    assert.deepEqual(attempt.log, ['headers', 'text:Pre', 'text:fix']);
  });

  void it('returns after message_stop even when the wire.server keeps the connection open', async () => {
    wire.server.handle((res) => writeSse(res, [...openingFrames(['done']), ...closingFrames(2)]));

    const outcome = await transportFor(wire.server).send(recordingAttempt());

    assert.equal(outcome.kind, 'success');
    assert.equal(outcome.text, 'done');
  });

  void it('keeps streaming when a listener throws', async () => {
    wire.server.handle((res) => {
      writeSse(res, [...openingFrames(['a', 'b']), ...closingFrames(2)]);
      res.end();
    });
    const errors: string[] = [];
    const transport = transportFor(wire.server, {
      logger: { warn: () => {}, error: (message) => errors.push(message) },
    });
    const seen: string[] = [];
    const attempt = recordingAttempt({
      onHeaders: () => {
        throw new Error('listener bug');
      },
      onText: (delta) => {
        seen.push(delta);
        throw new Error('listener bug');
      },
    });

    const outcome = await transport.send(attempt);

    assert.equal(outcome.kind, 'success');
    assert.equal(outcome.text, 'ab');
    assert.deepEqual(seen, ['a', 'b']);
    assert.deepEqual(errors, [
      "The attempt's onHeaders listener threw.",
      "The attempt's onText listener threw.",
      "The attempt's onText listener threw.",
    ]);
  });

  void it('never puts the secret into the outcome', async () => {
    wire.server.handle((res) => {
      writeSse(res, [...openingFrames(['x']), ...closingFrames(1)]);
      res.end();
    });

    const outcome = await transportFor(wire.server).send(recordingAttempt({ keyId: KEY_ID }));

    assert.equal(JSON.stringify(outcome).includes(SECRET), false);
  });
});
