import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { client, KEY1, messageBody, ORG1, post, SONNET, testConfig, userMessage, withSim } from './harness';
import { waitUntil } from '../../support/waitUntil';

interface UsageBody {
  usage: {
    input_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
    cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
    output_tokens: number;
  };
  content: { text: string }[];
  stop_reason: string;
}

const cachedSystem = (ttl?: '1h'): unknown[] => [
  { type: 'text', text: 's'.repeat(4000), cache_control: { type: 'ephemeral', ...(ttl && { ttl }) } },
];

async function usageOf(res: Response): Promise<UsageBody['usage']> {
  assert.equal(res.status, 200);
  return ((await res.json()) as UsageBody).usage;
}

void describe('prompt caching', () => {
  void it('writes a prefix the first time, reads it within the TTL, and debits ITPM for input + creation only', async () => {
    await withSim(testConfig(), async (sim, clock) => {
      const body = (letter: string): unknown => ({
        model: SONNET,
        max_tokens: 50,
        system: cachedSystem(),
        messages: [userMessage(100, letter)],
      });
      const first = await usageOf(await post(sim, '/v1/messages', body('a')));
      assert.equal(first.cache_creation_input_tokens, 1000);
      assert.equal(first.cache_read_input_tokens, 0);
      assert.equal(first.input_tokens, 100);
      assert.deepEqual(first.cache_creation, {
        ephemeral_5m_input_tokens: 1000,
        ephemeral_1h_input_tokens: 0,
      });
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').input, 60_000 - 1100);

      clock.advance(200_000);
      const before = sim.bucketLevels(ORG1, 'sonnet-4').input;
      const second = await usageOf(await post(sim, '/v1/messages', body('b')));
      assert.deepEqual(
        [second.cache_creation_input_tokens, second.cache_read_input_tokens, second.input_tokens],
        [0, 1000, 100],
      );
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').input, before - 100);

      // The read refreshed the entry: still alive 299 s after the read, gone after 300 s.
      clock.advance(299_000);
      assert.equal((await usageOf(await post(sim, '/v1/messages', body('c')))).cache_read_input_tokens, 1000);
      clock.advance(300_000);
      assert.equal(
        (await usageOf(await post(sim, '/v1/messages', body('d')))).cache_creation_input_tokens,
        1000,
      );

      // Another organization has its own cache.
      const other = await usageOf(
        await post(sim, '/v1/messages', body('a'), { 'x-api-key': 'sk-ant-sim-test-org2-a' }),
      );
      assert.equal(other.cache_creation_input_tokens, 1000);
    });
  });

  void it('reads the longest cached prefix and writes the rest; 1h breakpoints are reported apart', async () => {
    await withSim(testConfig(), async (sim) => {
      const messages = (extra: boolean): unknown[] => [
        {
          role: 'user',
          content: [{ type: 'text', text: 'm'.repeat(800), cache_control: { type: 'ephemeral' } }],
        },
        ...(extra
          ? [
              { role: 'assistant', content: 'ok' },
              { role: 'user', content: 'q'.repeat(40) },
            ]
          : []),
      ];
      await post(sim, '/v1/messages', {
        model: SONNET,
        max_tokens: 5,
        system: cachedSystem('1h'),
        messages: [userMessage(1)],
      });
      const usage = await usageOf(
        await post(sim, '/v1/messages', {
          model: SONNET,
          max_tokens: 5,
          system: cachedSystem('1h'),
          messages: messages(true),
        }),
      );
      // System (1,000, cached for 1h) is read; the message breakpoint adds 200 tokens to write; 'ok' + 40 q's = ceil(42/4) = 11 uncached.
      assert.equal(usage.cache_read_input_tokens, 1000);
      assert.equal(usage.cache_creation_input_tokens, 200);
      assert.deepEqual(usage.cache_creation, {
        ephemeral_5m_input_tokens: 200,
        ephemeral_1h_input_tokens: 0,
      });
      assert.equal(usage.input_tokens, 11);
      const fresh = await usageOf(
        await post(sim, '/v1/messages', {
          model: SONNET,
          max_tokens: 5,
          system: cachedSystem('1h').map((b) => ({ ...(b as object), text: 't'.repeat(4000) })),
          messages: [userMessage(1)],
        }),
      );
      assert.deepEqual(fresh.cache_creation, {
        ephemeral_5m_input_tokens: 0,
        ephemeral_1h_input_tokens: 1000,
      });
    });
  });

  void it('counts cache reads toward ITPM for † classes (Haiku 3.5)', async () => {
    await withSim(testConfig(), async (sim) => {
      const body = {
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 5,
        system: cachedSystem(),
        messages: [userMessage(100)],
      };
      await post(sim, '/v1/messages', body);
      const before = sim.bucketLevels(ORG1, 'haiku-3-5').input;
      const usage = await usageOf(await post(sim, '/v1/messages', body));
      assert.equal(usage.cache_read_input_tokens, 1000);
      assert.equal(sim.bucketLevels(ORG1, 'haiku-3-5').input, before - 1100);
    });
  });

  void it('count_tokens ignores caching and counts everything', async () => {
    await withSim(testConfig(), async (sim) => {
      const body = { model: SONNET, system: cachedSystem(), messages: [userMessage(100)] };
      await post(sim, '/v1/messages', { ...body, max_tokens: 5 });
      assert.deepEqual(await (await post(sim, '/v1/messages/count_tokens', body)).json(), {
        input_tokens: 1100,
      });
    });
  });
});

void describe('tokenizer rules', () => {
  void it('counts words × tokensPerWord when configured, so a chars/4 estimate is off', async () => {
    await withSim(testConfig({ tokenizer: { rule: 'words', tokensPerWord: 1.3 } }), async (sim) => {
      const content = 'one two three four five six seven eight nine ten';
      const counted = await client(sim).messages.countTokens({
        model: SONNET,
        messages: [{ role: 'user', content }],
      });
      assert.equal(counted.input_tokens, 13); // chars/4 would say 12
    });
  });

  void it('counts chars / charsPerToken, rounding up', async () => {
    await withSim(testConfig({ tokenizer: { rule: 'chars', charsPerToken: 3.2 } }), async (sim) => {
      const res = await post(sim, '/v1/messages', {
        model: SONNET,
        max_tokens: 5,
        system: 'abcdefghij',
        messages: [{ role: 'user', content: 'klmnop' }],
      });
      assert.equal((await usageOf(res)).input_tokens, 5); // 16 chars / 3.2
    });
  });
});

void describe('OTPM regimes', () => {
  void it('legacy reserves max_tokens at admission and refunds the unused part at the end', async () => {
    await withSim(testConfig({ otpmRegime: 'legacy' }), async (sim) => {
      const stream = await post(sim, '/v1/messages', messageBody(10, { max_tokens: 4000, stream: true }));
      assert.equal(stream.headers.get('anthropic-ratelimit-output-tokens-remaining'), '2000'); // 6,000 − 4,000 reserved
      await stream.text();
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').output, 5990); // 3,990 refunded
      assert.equal(sim.stats().tokensDebited[ORG1]!['sonnet-4']!.outputTokens, 10);

      const tooBig = await post(sim, '/v1/messages', messageBody(10, { max_tokens: 7000 }));
      assert.equal(tooBig.status, 429);
      assert.equal(tooBig.headers.get('retry-after'), '11'); // (7,000 − 5,990) / 100 per second
      const { error } = (await tooBig.json()) as { error: { message: string } };
      assert.ok(error.message.includes('rate limit of 6,000 output tokens per minute'));
    });
  });

  void it('real time ignores max_tokens and debits only generated tokens', async () => {
    await withSim(testConfig(), async (sim) => {
      const stream = await post(sim, '/v1/messages', messageBody(10, { max_tokens: 7000, stream: true }));
      assert.equal(stream.status, 200);
      assert.equal(stream.headers.get('anthropic-ratelimit-output-tokens-remaining'), '6000');
      await stream.text();
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').output, 5990);
    });
  });
});

void describe('replies', () => {
  void it('are deterministic per seed and body, cut at max_tokens with stop_reason max_tokens', async () => {
    const config = testConfig({ reply: { minOutputTokens: 5, maxOutputTokens: 60 } });
    await withSim(config, async (sim) => {
      const a = (await (await post(sim, '/v1/messages', messageBody(3))).json()) as UsageBody;
      const b = (await (await post(sim, '/v1/messages', messageBody(3))).json()) as UsageBody;
      assert.equal(a.content[0]!.text, b.content[0]!.text);
      assert.equal(a.content[0]!.text.length, a.usage.output_tokens * 4);
      assert.ok(a.usage.output_tokens >= 5 && a.usage.output_tokens <= 60);
      const cut = (await (
        await post(sim, '/v1/messages', messageBody(3, { max_tokens: 4 }))
      ).json()) as UsageBody;
      assert.equal(cut.stop_reason, 'max_tokens');
      assert.equal(cut.usage.output_tokens, 4);
      assert.equal(cut.content[0]!.text.length, 16);
    });
    await withSim({ ...config, seed: 99 }, async (sim) => {
      const seeds = new Set<string>();
      for (const tokens of [3, 4, 5])
        seeds.add(
          ((await (await post(sim, '/v1/messages', messageBody(tokens))).json()) as UsageBody).content[0]!
            .text,
        );
      assert.equal(seeds.size, 3);
    });
  });

  void it('streams the documented event sequence with consistent usage (SDK)', async () => {
    await withSim(testConfig(), async (sim) => {
      const stream = client(sim).messages.stream(messageBody(25) as never);
      const events: string[] = [];
      stream.on('streamEvent', (event) => events.push(event.type));
      const final = await stream.finalMessage();
      assert.deepEqual(events, [
        'message_start',
        'content_block_start',
        ...Array<string>(10).fill('content_block_delta'),
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      assert.equal(final.usage.input_tokens, 25);
      assert.equal(final.usage.output_tokens, 10);
      assert.equal(final.stop_reason, 'end_turn');
      assert.equal((final.content[0] as { text: string }).text.length, 40);
      assert.match(stream.request_id!, /^req_/);
    });
  });

  void it('paces tokens on the simulator clock and debits OTPM as they are generated', async () => {
    const config = testConfig({
      reply: { minOutputTokens: 10, maxOutputTokens: 10, tokensPerSecond: 10, pingIntervalSec: 0.2 },
    });
    (config.organizations as { limits: unknown }[])[0]!.limits = { default: { outputTokensPerMinute: 60 } };
    await withSim(config, async (sim, clock) => {
      const res = await post(sim, '/v1/messages', messageBody(1, { stream: true }));
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      let isDone = false;
      const count = (name: string): number => text.split(`event: ${name}\n`).length - 1;
      const readUntil = async (predicate: () => boolean): Promise<void> => {
        while (!predicate() && !isDone) {
          const chunk = await reader.read();
          isDone = chunk.done;
          if (chunk.value) text += decoder.decode(chunk.value);
        }
      };
      await readUntil(() => count('ping') === 1);
      assert.equal(count('content_block_delta'), 0);
      assert.equal(sim.bucketLevels(ORG1, 'sonnet-4').output, 60);

      clock.advance(300);
      await readUntil(() => count('content_block_delta') === 3);
      assert.equal(count('ping'), 2); // one extra ping once 0.2 s had passed
      // 1/s refill: 59 at 0.1 s, 59.1 − 1 at 0.2 s, 58.2 − 1 at 0.3 s.
      assert.ok(Math.abs(sim.bucketLevels(ORG1, 'sonnet-4').output - 57.2) < 1e-9);
      assert.equal(count('message_stop'), 0);

      clock.advance(700);
      await readUntil(() => isDone);
      assert.equal(count('content_block_delta'), 10);
      assert.ok(
        text.includes(
          '"usage":{"input_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":10}',
        ),
      );
      assert.equal(count('message_stop'), 1);
      await waitUntil(() => sim.stats().records[0]!.outcome === 'complete', {
        what: 'the record to complete',
      });
      assert.equal(sim.stats().records[0]!.outputTokens, 10);
    });
  });

  void it('stops generating and debiting when the client goes away', async () => {
    const config = testConfig({ reply: { minOutputTokens: 10, maxOutputTokens: 10, tokensPerSecond: 10 } });
    await withSim(config, async (sim, clock) => {
      const res = await post(sim, '/v1/messages', messageBody(1, { stream: true }));
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      clock.advance(200);
      await reader.cancel();
      await waitUntil(() => sim.stats().records[0]!.outcome === 'client_closed', {
        what: 'the server to notice the disconnect',
      });
      clock.advance(5000);
      const record = sim.stats().records[0]!;
      assert.equal(record.outputTokens, 2);
      assert.equal(sim.stats().tokensDebited[ORG1]!['sonnet-4']!.outputTokens, 2);
    });
  });
});

void describe('stats', () => {
  void it('counts routes, statuses, keys and records each request', async () => {
    await withSim(testConfig(), async (sim, clock) => {
      await post(sim, '/v1/messages', messageBody(100));
      clock.advance(1500);
      await post(
        sim,
        '/v1/messages/count_tokens',
        { model: SONNET, messages: [userMessage(1)] },
        { 'x-api-key': 'sk-ant-sim-test-org1-b' },
      );
      await post(sim, '/v1/messages', messageBody(1), { 'x-api-key': 'sk-ant-sim-not-configured' });
      await fetch(`${sim.url}/v1/files`);
      const stats = sim.stats();
      assert.deepEqual(stats.requestsByRoute, {
        '/v1/messages': 2,
        '/v1/messages/count_tokens': 1,
        other: 1,
      });
      assert.deepEqual(stats.responsesByStatus, { '200': 2, '401': 1, '404': 1 });
      assert.deepEqual(stats.requestsByKey, { [KEY1]: 1, 'sk-ant-sim-test-org1-b': 1, unknown: 1 });
      assert.deepEqual(stats.tokensDebited, {
        [ORG1]: { 'sonnet-4': { requests: 1, inputTokens: 100, outputTokens: 10 } },
      });
      const [first, second, third] = stats.records;
      assert.deepEqual(
        { ...first, atMs: first!.atMs - Date.UTC(2026, 0, 1) },
        {
          atMs: 0,
          route: '/v1/messages',
          key: KEY1,
          orgId: ORG1,
          model: SONNET,
          modelClass: 'sonnet-4',
          isStream: false,
          status: 200,
          inputTokens: 100,
          cacheCreationInputTokens: 0,
          cacheReadInputTokens: 0,
          outputTokens: 10,
          outcome: 'complete',
        },
      );
      assert.equal(second!.atMs - Date.UTC(2026, 0, 1), 1500);
      assert.equal(second!.inputTokens, 1);
      assert.equal(third!.key, undefined);
      assert.equal(third!.status, 401);
    });
  });
});
