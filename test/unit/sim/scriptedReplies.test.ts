import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { parseSimulatorConfig, type RunningSimulator } from '../../../sim/simulator';
import { client, ORG1, post, SONNET, testConfig, withSim } from './harness';

const TOOLS = [
  { name: 'list_files', description: 'List files', input_schema: { type: 'object' as const } },
  { name: 'read_file', description: 'Read a file', input_schema: { type: 'object' as const } },
];
const LIST = { glob: 'src/**/*.ts' };
const READ_A = { path: 'src/a.ts' };
const READ_B = { path: 'src/b.ts', startLine: 1, endLine: 20 };
const SCRIPT = {
  match: 'rename greet',
  steps: [
    { text: 'Let me look around.', toolUses: [{ name: 'list_files', input: LIST }] },
    {
      toolUses: [
        { name: 'read_file', input: READ_A },
        { name: 'read_file', input: READ_B },
      ],
    },
    { text: 'Renamed greet to welcome in both files.' },
  ],
};

/** Output tokens of a scripted reply: text in whole 4-character tokens, each input JSON cut every 4 characters. */
function tokensOf(text: string, ...inputs: unknown[]): number {
  return (
    Math.ceil(text.length / 4) +
    inputs.reduce<number>((n, i) => n + Math.ceil(JSON.stringify(i).length / 4), 0)
  );
}

type Message = Anthropic.Messages.Message;
type Param = Anthropic.Messages.MessageParam;

/** The conversation after `reply`: its content as the assistant turn, then one tool_result per tool call. */
function answered(history: readonly Param[], reply: Message): Param[] {
  const results = reply.content
    .filter((b) => b.type === 'tool_use')
    .map((b) => ({ type: 'tool_result' as const, tool_use_id: b.id, content: `result of ${b.name}` }));
  return [...history, { role: 'assistant', content: reply.content }, { role: 'user', content: results }];
}

async function ask(
  sim: RunningSimulator,
  messages: readonly Param[],
  { stream = false, maxTokens = 200 } = {},
): Promise<Message> {
  const body = { model: SONNET, max_tokens: maxTokens, messages: [...messages], tools: TOOLS };
  return stream
    ? client(sim).messages.stream(body).finalMessage()
    : client(sim).messages.create({ ...body, stream: false });
}

function toolCalls(message: Message): { name: string; input: unknown }[] {
  return message.content.flatMap((b) => (b.type === 'tool_use' ? [{ name: b.name, input: b.input }] : []));
}

function textOf(message: Message): string {
  return message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
}

for (const stream of [false, true]) {
  void describe(`simulator: scripted tool-use replies (${stream ? 'SSE' : 'JSON'}, through the SDK)`, () => {
    void it('answers each step of a matched conversation in turn, then repeats the last', async () => {
      await withSim(testConfig({ scripts: [SCRIPT] }), async (sim) => {
        const start: Param[] = [{ role: 'user', content: 'Please rename greet to welcome.' }];
        const first = await ask(sim, start, { stream });
        assert.equal(first.stop_reason, 'tool_use');
        assert.deepEqual(
          first.content.map((b) => b.type),
          ['text', 'tool_use'],
        );
        assert.equal(textOf(first), 'Let me look around. ');
        assert.deepEqual(toolCalls(first), [{ name: 'list_files', input: LIST }]);
        assert.equal(first.usage.output_tokens, tokensOf('Let me look around.', LIST));

        const second = await ask(sim, answered(start, first), { stream });
        assert.equal(second.stop_reason, 'tool_use');
        assert.deepEqual(toolCalls(second), [
          { name: 'read_file', input: READ_A },
          { name: 'read_file', input: READ_B },
        ]);
        const ids = second.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
        assert.equal(new Set(ids).size, 2);
        assert.ok(ids.every((id) => id.startsWith('toolu_')));
        assert.equal(second.usage.output_tokens, tokensOf('', READ_A, READ_B));

        const third = await ask(sim, answered(answered(start, first), second), { stream });
        assert.equal(third.stop_reason, 'end_turn');
        assert.deepEqual(toolCalls(third), []);
        assert.equal(textOf(third).trimEnd(), 'Renamed greet to welcome in both files.');
        assert.equal(third.usage.output_tokens, tokensOf('Renamed greet to welcome in both files.'));

        const past = await ask(sim, answered(answered(answered(start, first), second), third), { stream });
        assert.equal(textOf(past), textOf(third));

        const debited = sim.stats().tokensDebited[ORG1]!['sonnet-4']!.outputTokens;
        assert.equal(
          debited,
          first.usage.output_tokens +
            second.usage.output_tokens +
            third.usage.output_tokens +
            past.usage.output_tokens,
        );
      });
    });

    void it('cuts a scripted reply at max_tokens: stop_reason max_tokens, exactly max_tokens generated', async () => {
      await withSim(testConfig({ scripts: [SCRIPT] }), async (sim) => {
        const reply = await ask(sim, [{ role: 'user', content: 'rename greet' }], { stream, maxTokens: 3 });
        assert.equal(reply.stop_reason, 'max_tokens');
        assert.equal(reply.usage.output_tokens, 3);
        assert.deepEqual(
          reply.content.map((b) => b.type),
          ['text'],
        );
        assert.equal(textOf(reply), 'Let me look ');
      });
    });
  });
}

void describe('simulator: which requests a script answers', () => {
  void it('only requests with tools whose first user message matches; the others get the usual reply', async () => {
    const catchAll = { steps: [{ toolUses: [{ name: 'list_files' }] }] };
    await withSim(testConfig({ scripts: [SCRIPT, catchAll] }), async (sim) => {
      const other = await ask(sim, [{ role: 'user', content: 'something else' }]);
      assert.deepEqual(toolCalls(other), [{ name: 'list_files', input: {} }]);
      const noTools = await client(sim).messages.create({
        model: SONNET,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'rename greet' }],
      });
      assert.equal(noTools.stop_reason, 'end_turn');
      assert.equal(noTools.usage.output_tokens, 10);
    });
    await withSim(testConfig({ scripts: [SCRIPT] }), async (sim) => {
      const unmatched = await ask(sim, [{ role: 'user', content: 'hello' }]);
      assert.equal(unmatched.stop_reason, 'end_turn');
      assert.equal(unmatched.usage.output_tokens, 10);
    });
  });

  void it('a tool_choice that forces a tool wins over the script', async () => {
    await withSim(testConfig({ scripts: [SCRIPT] }), async (sim) => {
      const res = await post(sim, '/v1/messages', {
        model: SONNET,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'rename greet' }],
        tools: TOOLS,
        tool_choice: { type: 'tool', name: 'read_file' },
      });
      const body = (await res.json()) as { content: { type: string; id?: string; name?: string }[] };
      assert.deepEqual(body.content, [
        { type: 'tool_use', id: body.content[0]?.id, name: 'read_file', input: {} },
      ]);
    });
  });
});

void describe('simulator config: scripts', () => {
  const parse = (scripts: unknown): unknown => parseSimulatorConfig(testConfig({ scripts }));

  void it('defaults to none and keeps what it is given', () => {
    assert.deepEqual(parseSimulatorConfig(testConfig()).scripts, []);
    const [script] = parseSimulatorConfig(testConfig({ scripts: [SCRIPT] })).scripts;
    assert.equal(script?.match, 'rename greet');
    assert.deepEqual(script?.steps[1]?.toolUses, SCRIPT.steps[1]!.toolUses);
  });

  void it('names the field of a bad script', () => {
    for (const [scripts, message] of [
      [{}, /scripts must be an array/],
      [[{ steps: [] }], /scripts\[0\]\.steps must list at least one step/],
      [[{ steps: [{}] }], /scripts\[0\]\.steps\[0\] needs a text, tool uses, or both/],
      [
        [{ steps: [{ toolUses: [{ name: 'bad name' }] }] }],
        /scripts\[0\]\.steps\[0\]\.toolUses\[0\]\.name must be a tool name/,
      ],
      [
        [{ steps: [{ toolUses: [{ name: 'x', input: [] }] }] }],
        /scripts\[0\]\.steps\[0\]\.toolUses\[0\]\.input must be an object/,
      ],
      [[{ match: '', steps: [{ text: 'x' }] }], /scripts\[0\]\.match must be a non-empty string/],
      [[{ steps: [{ text: 'x', extra: 1 }] }], /scripts\[0\]\.steps\[0\]\.extra is not a known setting/],
    ] as const)
      assert.throws(() => parse(scripts), message, JSON.stringify(scripts));
  });
});
