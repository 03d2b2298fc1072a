import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCountTokensParams, toStreamingParams } from '../../../src/anthropic/requestParams';
import { StreamAccumulator } from '../../../src/anthropic/streamAccumulator';
import { MalformedResponseError } from '../../../src/anthropic/classifyError';
import type { MessageRequest } from '../../../src/pacer/index';
import { estimateByCharacters } from '../../../src/pacer/index';
import { IMAGE_TOKEN_ESTIMATE } from '../../../src/pacer/limits/tokenEstimator';

const TOOL_REQUEST: MessageRequest = {
  model: 'claude-sonnet-4-6',
  maxTokens: 100,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } }] },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '42' }] }],
    },
  ],
  tools: [{ name: 'lookup', description: 'Looks up', input_schema: { type: 'object', required: ['q'] } }],
  toolChoice: { type: 'any' },
};

void describe('requestParams with tools and blocks', () => {
  void it('passes tools, tool_choice and every block kind through to the wire shape', () => {
    const params = toStreamingParams(TOOL_REQUEST);
    assert.deepEqual(params.tools, [
      { name: 'lookup', description: 'Looks up', input_schema: { type: 'object', required: ['q'] } },
    ]);
    assert.deepEqual(params.tool_choice, { type: 'any' });
    assert.deepEqual(params.messages, JSON.parse(JSON.stringify(TOOL_REQUEST.messages)));
    assert.deepEqual(toCountTokensParams(TOOL_REQUEST).tools, params.tools);
  });

  void it('leaves tools and tool_choice out when the list is empty', () => {
    const params = toStreamingParams({ ...TOOL_REQUEST, tools: [] });
    assert.equal('tools' in params, false);
    assert.equal('tool_choice' in params, false);
  });
});

function toolStream(accumulator: StreamAccumulator, json: readonly string[]): void {
  accumulator.accept({ type: 'message_start', message: { usage: { input_tokens: 5 } } });
  accumulator.accept({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  accumulator.accept({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'text_delta', text: 'Calling.' },
  });
  accumulator.accept({ type: 'content_block_stop', index: 0 });
  accumulator.accept({
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: {} },
  });
  for (const part of json)
    accumulator.accept({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: part },
    });
  accumulator.accept({ type: 'content_block_stop', index: 1 });
}

void describe('StreamAccumulator with tool_use blocks', () => {
  void it('assembles the input from input_json_delta fragments and keeps block order', () => {
    const texts: string[] = [];
    const accumulator = new StreamAccumulator((t) => texts.push(t));
    toolStream(accumulator, ['{"q": "wea', 'ther", "n"', ': 2}']);
    accumulator.accept({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: 9 },
    });
    assert.deepEqual(accumulator.content, [
      { type: 'text', text: 'Calling.' },
      { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: { q: 'weather', n: 2 } },
    ]);
    assert.deepEqual(texts, ['Calling.']);
    assert.equal(accumulator.text, 'Calling.');
    assert.equal(accumulator.stopReason, 'tool_use');
  });

  void it('gives a tool without input deltas an empty object', () => {
    const accumulator = new StreamAccumulator(() => {});
    toolStream(accumulator, []);
    assert.deepEqual(accumulator.content.at(-1), {
      type: 'tool_use',
      id: 'toolu_9',
      name: 'lookup',
      input: {},
    });
  });

  void it('leaves an unfinished tool call out of the content', () => {
    const accumulator = new StreamAccumulator(() => {});
    accumulator.accept({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: {} },
    });
    accumulator.accept({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: '{"q"' },
    });
    assert.deepEqual(accumulator.content, []);
  });

  void it('rejects input that is not a JSON object, and deltas without their block', () => {
    assert.throws(() => toolStream(new StreamAccumulator(() => {}), ['{"q": ']), MalformedResponseError);
    assert.throws(() => toolStream(new StreamAccumulator(() => {}), ['[1]']), MalformedResponseError);
    const orphan = new StreamAccumulator(() => {});
    assert.throws(
      () =>
        orphan.accept({
          type: 'content_block_delta',
          index: 3,
          delta: { type: 'input_json_delta', partial_json: '{}' },
        }),
      MalformedResponseError,
    );
  });
});

void describe('estimateByCharacters with new block kinds', () => {
  void it('charges images a fixed estimate and counts tool input, results and definitions by their text', () => {
    const textOnly = estimateByCharacters({
      model: 'm',
      maxTokens: 1,
      messages: [{ role: 'user', content: 'look' }],
    });
    const full = estimateByCharacters(TOOL_REQUEST);
    assert.ok(full - textOnly >= IMAGE_TOKEN_ESTIMATE, `${full} - ${textOnly}`);
    const withoutTools = estimateByCharacters({ ...TOOL_REQUEST, tools: [] });
    assert.ok(full > withoutTools);
  });
});
