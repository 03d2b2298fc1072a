import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type LmMessage, type LmPart, toMessageRequest } from '../../../src/lmProvider/model/lmRequest';
import type { ContentBlock, MessageRequest } from '../../../src/pacer/index';

const OPTIONS = { model: 'claude-sonnet-4-6', maxTokens: 1000, acceptsImages: true } as const;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

const user = (...parts: LmPart[]): LmMessage => ({ role: 'user', parts });
const assistant = (...parts: LmPart[]): LmMessage => ({ role: 'assistant', parts });
const text = (value: string): LmPart => ({ kind: 'text', value });
const call = (callId: string, name = 'lookup', input: unknown = { q: 'x' }): LmPart => ({
  kind: 'toolCall',
  callId,
  name,
  input,
});
const result = (callId: string, value = '42'): LmPart => ({
  kind: 'toolResult',
  callId,
  content: [text(value)],
});

/** The Messages API's structural rules for a request, as problems found (empty = valid). */
function problemsOf(request: MessageRequest): string[] {
  const problems: string[] = [];
  const seenIds = new Set<string>();
  request.messages.forEach((message, i) => {
    const blocks = message.content as readonly ContentBlock[];
    if (message.role !== (i % 2 === 0 ? 'user' : 'assistant'))
      problems.push(`turn ${i} has role ${message.role}`);
    if (blocks.length === 0) problems.push(`turn ${i} is empty`);
    const callIds = (i > 0 ? (request.messages[i - 1]!.content as ContentBlock[]) : []).flatMap((b) =>
      b.type === 'tool_use' ? [b.id] : [],
    );
    const resultIds = blocks.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : []));
    if (
      message.role === 'user' &&
      JSON.stringify([...resultIds].sort()) !== JSON.stringify([...callIds].sort())
    )
      problems.push(`turn ${i} answers ${resultIds.join()} instead of ${callIds.join()}`);
    const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
    if (firstOther !== -1 && blocks.slice(firstOther).some((b) => b.type === 'tool_result'))
      problems.push(`turn ${i}: results after other blocks`);
    for (const block of blocks) {
      if (block.type === 'text' && block.text.trim() === '') problems.push(`turn ${i}: blank text`);
      if (block.type === 'tool_use') {
        if (message.role !== 'assistant') problems.push(`turn ${i}: tool_use in a user turn`);
        if (seenIds.has(block.id)) problems.push(`duplicate tool_use id ${block.id}`);
        if (!/^[A-Za-z0-9_-]+$/.test(block.id)) problems.push(`bad id ${block.id}`);
        seenIds.add(block.id);
      }
      if ((block.type === 'tool_result' || block.type === 'image') && message.role !== 'user')
        problems.push(`turn ${i}: ${block.type} in an assistant turn`);
    }
  });
  if (request.messages.length === 0) problems.push('no messages');
  const last = request.messages.at(-1);
  if (last?.role === 'assistant') {
    const blocks = last.content as readonly ContentBlock[];
    if (blocks.some((b) => b.type === 'tool_use')) problems.push('ends with an unanswered tool call');
    const tail = blocks.at(-1);
    if (tail?.type === 'text' && tail.text !== tail.text.trimEnd())
      problems.push('prefill ends in whitespace');
  }
  if (request.toolChoice !== undefined && (request.tools ?? []).length === 0)
    problems.push('tool_choice without tools');
  return problems;
}

void describe('toMessageRequest', () => {
  void it('maps a tool round trip: call in the assistant turn, result first in the next user turn', () => {
    const request = toMessageRequest(
      [
        user(text('weather?')),
        assistant(text('Looking.'), call('call_1')),
        user(result('call_1', 'sunny'), text('thanks')),
      ],
      {
        ...OPTIONS,
        tools: [
          { name: 'lookup', description: 'Looks up', inputSchema: { type: 'object', required: ['q'] } },
        ],
        isToolRequired: true,
      },
    );
    assert.deepEqual(request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'x' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'sunny' }] },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
    assert.deepEqual(request.tools, [
      { name: 'lookup', description: 'Looks up', input_schema: { type: 'object', required: ['q'] } },
    ]);
    assert.deepEqual(request.toolChoice, { type: 'any' });
  });

  void it('leaves tool_choice out in auto mode and gives a tool without schema an empty object schema', () => {
    const request = toMessageRequest([user(text('hi'))], { ...OPTIONS, tools: [{ name: 't' }] });
    assert.equal(request.toolChoice, undefined);
    assert.deepEqual(request.tools, [{ name: 't', input_schema: { type: 'object', properties: {} } }]);
    assert.equal(
      toMessageRequest([user(text('hi'))], { ...OPTIONS, tools: [], isToolRequired: true }).toolChoice,
      undefined,
    );
  });

  void it('moves system turns to system and merges neighbouring turns of one role', () => {
    const request = toMessageRequest(
      [
        { role: 'system', parts: [text('Be brief.')] },
        user(text('a')),
        user(text('b')),
        assistant(text('c  ')),
      ],
      OPTIONS,
    );
    assert.equal(request.system, 'Be brief.');
    assert.deepEqual(request.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
    ]);
  });

  void it('turns images into base64 blocks when the model takes them, and into a note when not', () => {
    const image: LmPart = { kind: 'data', mimeType: 'image/png', data: PNG };
    const withImages = toMessageRequest([user(text('see'), image)], OPTIONS);
    assert.deepEqual((withImages.messages[0]!.content as ContentBlock[])[1], {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: Buffer.from(PNG).toString('base64') },
    });
    const without = toMessageRequest([user(image)], { ...OPTIONS, acceptsImages: false });
    assert.match(JSON.stringify(without.messages), /image \(image\/png\) was left out/);
    const tiff = toMessageRequest([user({ kind: 'data', mimeType: 'image/tiff', data: PNG })], OPTIONS);
    assert.equal(JSON.stringify(tiff.messages).includes('"type":"image"'), false);
  });

  void it('keeps text and JSON data parts as text and drops other data parts', () => {
    const json: LmPart = {
      kind: 'data',
      mimeType: 'application/json',
      data: new TextEncoder().encode('{"a":1}'),
    };
    const hint: LmPart = {
      kind: 'data',
      mimeType: 'cache_control',
      data: new TextEncoder().encode('ephemeral'),
    };
    const request = toMessageRequest([user(text('x'), json, hint)], OPTIONS);
    assert.deepEqual(request.messages[0]!.content, [
      { type: 'text', text: 'x' },
      { type: 'text', text: '{"a":1}' },
    ]);
  });

  void it('answers an unanswered call with an error result and keeps a result without its call as text', () => {
    const request = toMessageRequest(
      [user(text('go')), assistant(call('c1')), user(result('zz', 'stray'))],
      OPTIONS,
    );
    const last = request.messages.at(-1)!.content as ContentBlock[];
    assert.deepEqual(last[0], {
      type: 'tool_result',
      tool_use_id: 'c1',
      content: 'The tool call got no result.',
      is_error: true,
    });
    assert.deepEqual(last[1], { type: 'text', text: 'Result of tool call zz: stray' });
    const trailing = toMessageRequest([user(text('go')), assistant(call('c1'))], OPTIONS);
    assert.deepEqual(problemsOf(trailing), []);
  });

  void it('maps call ids the API would reject alike in calls and results, and starts with a user turn', () => {
    const request = toMessageRequest([assistant(call('call:1/a')), user(result('call:1/a'))], OPTIONS);
    assert.equal(request.messages[0]!.role, 'user');
    assert.deepEqual(problemsOf(request), []);
    assert.match(JSON.stringify(request.messages), /"tool_use_id":"call_1_a"/);
  });

  void it('marks error results', () => {
    const request = toMessageRequest(
      [
        user(text('go')),
        assistant(call('c1')),
        user({ kind: 'toolResult', callId: 'c1', content: [text('boom')], isError: true }),
      ],
      OPTIONS,
    );
    assert.equal((request.messages[2]!.content as ContentBlock[])[0]!.type === 'tool_result', true);
    assert.match(JSON.stringify(request.messages[2]), /"is_error":true/);
  });
});

const ids = fc.constantFrom('c1', 'c2', 'call:3', 'c 4', '');
const arbPart: fc.Arbitrary<LmPart> = fc.oneof(
  fc.constantFrom('', ' ', 'hello', 'trailing  ', '\n').map(text),
  ids.map((id) => call(id)),
  fc.tuple(ids, fc.constantFrom('', 'ok', ' ')).map(([id, v]) => result(id, v)),
  fc
    .constantFrom('image/png', 'image/tiff', 'text/plain', 'application/octet-stream')
    .map((mimeType): LmPart => ({ kind: 'data', mimeType, data: PNG })),
);
const arbMessage = fc.record({
  role: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const),
  parts: fc.array(arbPart, { maxLength: 4 }),
});

void describe('toMessageRequest property', () => {
  void it('maps any sequence of provider parts to a request the Messages API accepts', () => {
    fc.assert(
      fc.property(
        fc.array(arbMessage, { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (messages, acceptsImages, isToolRequired) => {
          const request = toMessageRequest(messages, {
            ...OPTIONS,
            acceptsImages,
            isToolRequired,
            tools: [{ name: 'lookup' }],
          });
          assert.deepEqual(problemsOf(request), [], JSON.stringify(messages));
          // The request survives the wire: JSON round trip changes nothing.
          assert.deepEqual(JSON.parse(JSON.stringify(request)), request);
        },
      ),
      { numRuns: 500 },
    );
  });
});
