import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunningSimulator } from '../../../sim/simulator';
import type { ManualClock } from '../../support/manualClock';
import { client, KEY1, messageBody, post, SONNET, testConfig, withSim } from './harness';

const WEATHER = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      where: { type: 'object', properties: { lat: { type: 'number' } }, required: ['lat'] },
      note: { type: 'string' },
    },
    required: ['city', 'days', 'unit', 'where'],
  },
};

void describe('simulator: GET /v1/models', () => {
  void it('lists models in the real list shape, paged by limit and after_id, through the SDK', async () => {
    await withSim(testConfig(), async (sim) => {
      const ids: string[] = [];
      for await (const model of client(sim).models.list({ limit: 2 })) {
        ids.push(model.id);
        assert.equal(model.type, 'model');
        assert.equal(typeof model.display_name, 'string');
        assert.ok((model.max_input_tokens ?? 0) > 0 && (model.max_tokens ?? 0) > 0);
        assert.equal(model.capabilities?.image_input.supported, true);
      }
      assert.ok(ids.includes(SONNET));
      assert.equal(new Set(ids).size, ids.length);
      const page = (await (
        await fetch(`${sim.url}/v1/models?limit=1`, {
          headers: { 'x-api-key': KEY1, 'anthropic-version': '2023-06-01' },
        })
      ).json()) as { data: { id: string }[]; has_more: boolean; first_id: string; last_id: string };
      assert.equal(page.data.length, 1);
      assert.equal(page.has_more, true);
      assert.equal(page.first_id, page.data[0]!.id);
      assert.equal(page.last_id, page.data[0]!.id);
    });
  });

  void it('needs a valid key', async () => {
    await withSim(testConfig(), async (sim) => {
      const res = await fetch(`${sim.url}/v1/models`, {
        headers: { 'x-api-key': 'sk-ant-sim-nope', 'anthropic-version': '2023-06-01' },
      });
      assert.equal(res.status, 401);
    });
  });
});

/** count_tokens of a body; the test config allows 2 per minute, so the clock first lets the bucket refill. */
async function inputTokensOf(sim: RunningSimulator, clock: ManualClock, body: unknown): Promise<number> {
  clock.advance(30_000);
  const res = await post(sim, '/v1/messages/count_tokens', body);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { input_tokens: number }).input_tokens;
}

interface StreamEvent {
  type: string;
  index?: number;
  content_block?: { type: string; id?: string; name?: string };
  delta?: { type: string; partial_json?: string; text?: string; stop_reason?: string };
}

async function streamEvents(res: Response): Promise<StreamEvent[]> {
  const text = await res.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as StreamEvent);
}

void describe('simulator: tools', () => {
  void it('with tool_choice any streams one tool_use block whose input fills the required properties', async () => {
    await withSim(testConfig(), async (sim) => {
      const res = await post(
        sim,
        '/v1/messages',
        messageBody(10, { tools: [WEATHER], tool_choice: { type: 'any' }, stream: true }),
      );
      assert.equal(res.status, 200);
      const events = await streamEvents(res);
      const start = events.find((e) => e.type === 'content_block_start')!;
      assert.equal(start.content_block?.type, 'tool_use');
      assert.equal(start.content_block?.name, 'get_weather');
      assert.match(start.content_block?.id ?? '', /^toolu_/);
      const json = events
        .flatMap((e) => (e.delta?.type === 'input_json_delta' ? [e.delta.partial_json] : []))
        .join('');
      assert.deepEqual(JSON.parse(json), { city: 'sim', days: 1, unit: 'celsius', where: { lat: 1 } });
      const end = events.find((e) => e.type === 'message_delta')!;
      assert.equal(end.delta?.stop_reason, 'tool_use');
      assert.equal(
        events.some((e) => e.delta?.type === 'text_delta'),
        false,
      );
    });
  });

  void it('with tool_choice tool calls the named tool, also without streaming; auto answers in text', async () => {
    await withSim(testConfig(), async (sim) => {
      const other = { name: 'other', input_schema: { type: 'object' } };
      const message = await client(sim).messages.create({
        model: SONNET,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'go' }],
        tools: [other, WEATHER] as never,
        tool_choice: { type: 'tool', name: 'get_weather' },
      });
      assert.equal(message.stop_reason, 'tool_use');
      assert.equal(message.content[0]?.type, 'tool_use');
      const auto = await client(sim).messages.create({
        model: SONNET,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'go' }],
        tools: [WEATHER] as never,
      });
      assert.equal(auto.content[0]?.type, 'text');
      assert.equal(auto.stop_reason, 'end_turn');
    });
  });

  void it('accepts tool_result blocks and counts them, and the tools, as input', async () => {
    await withSim(testConfig(), async (sim, clock) => {
      const count = (body: Record<string, unknown>): Promise<number> => inputTokensOf(sim, clock, body);
      const base = { model: SONNET, messages: [{ role: 'user', content: 'go' }] };
      const withResult = {
        model: SONNET,
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x'.repeat(400) }],
          },
        ],
      };
      assert.ok((await count(withResult)) >= (await count(base)) + 100);
      assert.ok((await count({ ...base, tools: [WEATHER] })) > (await count(base)));
      const res = await post(sim, '/v1/messages', { ...withResult, max_tokens: 10 });
      assert.equal(res.status, 200);
    });
  });

  void it('rejects tool_choice without tools, an unknown named tool and a tool without input_schema', async () => {
    await withSim(testConfig(), async (sim) => {
      for (const extra of [
        { tool_choice: { type: 'any' } },
        { tools: [WEATHER], tool_choice: { type: 'tool', name: 'nope' } },
        { tools: [{ name: 'x' }] },
      ]) {
        const res = await post(sim, '/v1/messages', messageBody(1, extra));
        assert.equal(res.status, 400, JSON.stringify(extra));
      }
    });
  });
});

void describe('simulator: images', () => {
  void it('counts each image block as 1,600 input tokens, also inside a tool result', async () => {
    await withSim(testConfig(), async (sim, clock) => {
      const image = {
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo='.repeat(50) },
      };
      const count = (content: unknown): Promise<number> =>
        inputTokensOf(sim, clock, { model: SONNET, messages: [{ role: 'user', content }] });
      const text = await count([{ type: 'text', text: 'abcd' }]);
      assert.equal(await count([{ type: 'text', text: 'abcd' }, image]), text + 1600);
      assert.equal(await count([{ type: 'text', text: 'abcd' }, image, image]), text + 3200);
      const inResult = await inputTokensOf(sim, clock, {
        model: SONNET,
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'shot', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [image] }] },
        ],
      });
      assert.ok(inResult >= 1600 && inResult < 1700, String(inResult));
      const res = await post(sim, '/v1/messages', {
        model: SONNET,
        max_tokens: 5,
        messages: [{ role: 'user', content: [image] }],
      });
      assert.equal(res.status, 200);
      const usage = ((await res.json()) as { usage: { input_tokens: number } }).usage;
      assert.equal(usage.input_tokens, 1600);
    });
  });
});
