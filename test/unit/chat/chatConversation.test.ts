import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ENGLISH } from '../../../src/status/model/localize';
import {
  restoreAfterReload,
  toMessageViews,
  type ChatTurn,
  type Conversation,
} from '../../../src/chat/model/chatConversation';
import {
  CHAT_STATE_VERSION,
  MAX_PERSISTED_CHARS,
  parsePersistedChat,
  toPersisted,
} from '../../../src/chat/model/chatPersistence';
import {
  buildAnswerRequest,
  buildContinueRequest,
  CACHE_WARM_MS,
  CONTINUE_PROMPT,
  estimateBaseTokens,
  userTurnText,
} from '../../../src/chat/model/chatRequest';
import type { MessageParam, MessageRequest, TextBlock } from '../../../src/pacer/transport';
import { withSim, KEY1, SONNET, post } from '../sim/harness';

const MODEL = 'claude-sonnet-4-6';
const NOW = 1_700_000_000_000;
const options = { model: MODEL, maxTokens: 1000, nowMs: NOW };

function turn(id: string, role: 'user' | 'assistant', text: string, extra: Partial<ChatTurn> = {}): ChatTurn {
  return { id, role, text, status: 'complete', createdAtMs: 0, ...extra };
}

/** u1 a1 u2 a2 u3 (pending a3): a conversation in its third round. */
function threeRounds(lastCompleted?: Conversation['lastCompleted']): Conversation {
  return {
    id: 'c1',
    turns: [
      turn('u1', 'user', 'first question '.repeat(50)),
      turn('a1', 'assistant', 'first answer '.repeat(80)),
      turn('u2', 'user', 'second question'),
      turn('a2', 'assistant', 'second answer '.repeat(40)),
      turn('u3', 'user', 'third question'),
      turn('a3', 'assistant', '', { status: 'pending' }),
    ],
    ...(lastCompleted ? { lastCompleted } : {}),
  };
}

function blocks(message: MessageParam): readonly TextBlock[] {
  assert.ok(Array.isArray(message.content), 'message content is always in block form');
  return message.content as readonly TextBlock[];
}

function breakpoints(request: MessageRequest): string[] {
  const out: string[] = [];
  for (const b of request.system as readonly TextBlock[]) if (b.cache_control) out.push('system');
  request.messages.forEach((m, i) => {
    for (const b of blocks(m)) if (b.cache_control) out.push(`${m.role}${i}`);
  });
  return out;
}

describe('chat request building', () => {
  it('marks the system prompt, the end of the stable prefix and the previous prefix end', () => {
    const { request } = buildAnswerRequest(threeRounds(), 5, options);
    assert.deepEqual(
      request.messages.map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant', 'user'],
    );
    // a2 (index 3) ends the prefix this request writes; a1 (index 1) is what the previous request wrote.
    assert.deepEqual(breakpoints(request), ['system', 'assistant1', 'assistant3']);
    assert.equal(request.model, MODEL);
    assert.equal(request.maxTokens, 1000);
  });

  it('the first message carries only the system breakpoint', () => {
    const conversation: Conversation = {
      id: 'c',
      turns: [turn('u1', 'user', 'hello'), turn('a1', 'assistant', '', { status: 'pending' })],
    };
    const { request, inputTokens, countedInputTokens } = buildAnswerRequest(conversation, 1, options);
    assert.deepEqual(breakpoints(request), ['system']);
    assert.equal(inputTokens, countedInputTokens, 'nothing is cached yet');
  });

  it('counts only what follows the warm cached prefix toward the input limit', () => {
    const warm = buildAnswerRequest(threeRounds({ atMs: NOW - 60_000, model: MODEL }), 5, options);
    const cold = buildAnswerRequest(threeRounds({ atMs: NOW - CACHE_WARM_MS - 1, model: MODEL }), 5, options);
    const otherModel = buildAnswerRequest(
      threeRounds({ atMs: NOW - 1000, model: 'claude-opus-4-6' }),
      5,
      options,
    );
    const countsReads = buildAnswerRequest(threeRounds({ atMs: NOW - 1000, model: MODEL }), 5, {
      ...options,
      cacheReadsCount: true,
    });
    assert.equal(warm.inputTokens, cold.inputTokens);
    assert.ok(
      warm.countedInputTokens < warm.inputTokens / 2,
      `${warm.countedInputTokens} vs ${warm.inputTokens}`,
    );
    assert.equal(cold.countedInputTokens, cold.inputTokens);
    assert.equal(otherModel.countedInputTokens, otherModel.inputTokens);
    assert.equal(countsReads.countedInputTokens, countsReads.inputTokens);
  });

  it('leaves out answers that failed before any text (the API rejects empty blocks)', () => {
    const conversation: Conversation = {
      id: 'c',
      turns: [
        turn('u1', 'user', 'one'),
        turn('a1', 'assistant', '', { status: 'failed', note: 'no key' }),
        turn('u2', 'user', 'two'),
        turn('a2', 'assistant', '', { status: 'pending' }),
      ],
    };
    const { request } = buildAnswerRequest(conversation, 3, options);
    assert.deepEqual(
      request.messages.map((m) => blocks(m)[0]!.text),
      ['one', 'two'],
    );
    assert.deepEqual(breakpoints(request), ['system']);
  });

  it('attaches context as fenced blocks that survive backticks inside the code', () => {
    const text = userTurnText({
      text: 'What does this do?',
      context: [{ kind: 'selection', label: 'a.md:1-3', text: 'x ```` y', language: 'markdown' }],
    });
    assert.match(text, /^Selected code `a\.md:1-3`:\n`````markdown\nx ```` y\n`````\n\nWhat does this do\?$/);
  });

  it('continues from a partial answer: history, the partial text, then the continue prompt', () => {
    const conversation = threeRounds();
    const partial = {
      ...conversation,
      turns: conversation.turns.map((t) =>
        t.id === 'a3' ? { ...t, text: 'The answer is', status: 'interrupted' as const } : t,
      ),
    };
    const { request } = buildContinueRequest(partial, 5, options);
    const last = request.messages.slice(-2);
    assert.deepEqual(
      last.map((m) => [m.role, blocks(m)[0]!.text]),
      [
        ['assistant', 'The answer is'],
        ['user', CONTINUE_PROMPT],
      ],
    );
    // The partial answer ends the stable prefix; a2 (what the previous request wrote) is read.
    assert.deepEqual(breakpoints(request), ['system', 'assistant3', 'assistant5']);
  });

  it('never uses more than four breakpoints, never sends an empty block, always starts with the user', () => {
    const turnArb = fc.record({
      role: fc.constantFrom('user' as const, 'assistant' as const),
      text: fc.string({ maxLength: 40 }),
      status: fc.constantFrom('complete' as const, 'failed' as const, 'interrupted' as const),
    });
    fc.assert(
      fc.property(
        fc.array(turnArb, { maxLength: 12 }),
        fc.string({ minLength: 1, maxLength: 20 }).filter((q) => q.trim() !== ''), // blank questions are refused before any request is built
        (raw, question) => {
          const turns: ChatTurn[] = [
            turn('u0', 'user', question),
            ...raw.map((t, i) => turn(`t${i}`, t.role, t.text, { status: t.status })),
            turn('q', 'user', question),
          ];
          const conversation: Conversation = {
            id: 'c',
            turns: [...turns, turn('a', 'assistant', '', { status: 'pending' })],
          };
          const { request, countedInputTokens, inputTokens } = buildAnswerRequest(
            conversation,
            turns.length,
            options,
          );
          assert.ok(breakpoints(request).length <= 4);
          assert.equal(request.messages[0]?.role, 'user');
          for (const m of request.messages) for (const b of blocks(m)) assert.notEqual(b.text.trim(), '');
          assert.ok(countedInputTokens >= 1 && countedInputTokens <= inputTokens);
        },
      ),
    );
  });

  it('estimates the base tokens of a new message including enabled context', () => {
    const empty: Conversation = { id: 'c', turns: [] };
    const without = estimateBaseTokens(empty, [], options);
    const withFile = estimateBaseTokens(
      empty,
      [{ kind: 'file', label: 'f.ts', text: 'x'.repeat(4000), language: 'typescript' }],
      options,
    );
    assert.ok(withFile - without >= 1000);
  });
});

describe('chat persistence', () => {
  it('round-trips through JSON (what workspaceState stores)', () => {
    const conversation = {
      ...threeRounds({ atMs: NOW, model: MODEL }),
      turns: threeRounds().turns.map((t) =>
        t.id === 'u3'
          ? {
              ...t,
              context: [{ kind: 'file' as const, label: 'a.ts', text: 'code', language: 'typescript' }],
            }
          : t,
      ),
    };
    const stored = JSON.parse(JSON.stringify(toPersisted(conversation))) as unknown;
    assert.deepEqual(parsePersistedChat(stored), conversation);
  });

  it('after a reload, queued and streaming answers are interrupted (partial text kept) and resumable', () => {
    const conversation: Conversation = {
      id: 'c',
      turns: [
        turn('u1', 'user', 'one'),
        turn('a1', 'assistant', 'partial', { status: 'streaming' }),
        turn('u2', 'user', 'two'),
        turn('a2', 'assistant', '', { status: 'pending' }),
      ],
    };
    const restored = restoreAfterReload(
      parsePersistedChat(JSON.parse(JSON.stringify(toPersisted(conversation))))!,
    );
    const views = toMessageViews(restored);
    assert.deepEqual(
      views.map((v) => [v.id, v.status, v.text]),
      [
        ['u1', 'complete', 'one'],
        ['a1', 'interrupted', 'partial'],
        ['u2', 'complete', 'two'],
        ['a2', 'interrupted', ''],
      ],
    );
    assert.match(views[3]!.note!, /waiting to be sent/);
  });

  it('words the reload notes through the given localize', () => {
    const upper = (message: string, ...args: Array<string | number>): string =>
      ENGLISH(message.toUpperCase(), ...args);
    const restored = restoreAfterReload(
      {
        id: 'c',
        turns: [
          turn('a1', 'assistant', 'partial', { status: 'streaming' }),
          turn('a2', 'assistant', '', { status: 'pending' }),
        ],
      },
      upper,
    );
    assert.deepEqual(
      restored.turns.map((t) => t.note),
      ['INTERRUPTED BY A WINDOW RELOAD.', 'WAS WAITING TO BE SENT WHEN THE WINDOW RELOADED.'],
    );
  });

  it('rejects other versions and malformed records instead of guessing', () => {
    const good = toPersisted(threeRounds());
    for (const bad of [
      undefined,
      null,
      42,
      { ...good, version: CHAT_STATE_VERSION + 1 },
      { version: CHAT_STATE_VERSION },
      {
        version: CHAT_STATE_VERSION,
        conversation: {
          id: 'c',
          turns: [{ id: 'x', role: 'system', text: '', status: 'complete', createdAtMs: 0 }],
        },
      },
      {
        version: CHAT_STATE_VERSION,
        conversation: { id: 'c', turns: [turn('same', 'user', 'a'), turn('same', 'user', 'b')] },
      },
    ]) {
      assert.equal(parsePersistedChat(bad), undefined, JSON.stringify(bad));
    }
  });

  it('the validator is total on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true }), (value) => {
        const parsed = parsePersistedChat(value);
        if (parsed) assert.deepEqual(parsePersistedChat(toPersisted(parsed)), parsed);
      }),
      { numRuns: 1000 },
    );
  });

  it('drops the oldest turns above the size limit and starts on a user turn', () => {
    const big = 'x'.repeat(MAX_PERSISTED_CHARS / 4);
    const turns = Array.from({ length: 10 }, (_, i) =>
      turn(`t${i}`, i % 2 === 0 ? 'user' : 'assistant', big),
    );
    const kept = toPersisted({ id: 'c', turns }).conversation.turns;
    assert.ok(kept.length < 10 && kept.length >= 2);
    assert.equal(kept[0]!.role, 'user');
    assert.equal(kept.at(-1)!.id, 't9');
  });
});

describe('prompt caching against the simulator', () => {
  it('a three-round chat reads its prefix from the cache, so fewer tokens count toward the input limit', async () => {
    await withSim(
      {
        reply: { minOutputTokens: 200, maxOutputTokens: 200, tokensPerSecond: 0 },
        organizations: [
          {
            id: '11111111-1111-4111-8111-111111111111',
            keys: [KEY1],
            limits: {
              default: {
                requestsPerMinute: 60,
                inputTokensPerMinute: 1_000_000,
                outputTokensPerMinute: 100_000,
              },
            },
          },
        ],
      },
      async (sim, clock) => {
        let conversation: Conversation = { id: 'c', turns: [] };
        const estimates: number[] = [];
        const usages: {
          input_tokens: number;
          cache_read_input_tokens: number;
          cache_creation_input_tokens: number;
        }[] = [];
        for (let round = 1; round <= 3; round++) {
          conversation = {
            ...conversation,
            turns: [
              ...conversation.turns,
              turn(`u${round}`, 'user', `Question ${round}: ${'context '.repeat(300)}`),
              turn(`a${round}`, 'assistant', '', { status: 'pending' }),
            ],
          };
          const plan = buildAnswerRequest(conversation, conversation.turns.length - 1, {
            model: SONNET,
            maxTokens: 1000,
            nowMs: clock.now(),
          });
          estimates.push(plan.countedInputTokens);
          const response = await post(sim, '/v1/messages', {
            model: plan.request.model,
            max_tokens: plan.request.maxTokens,
            system: plan.request.system,
            messages: plan.request.messages,
          });
          assert.equal(response.status, 200);
          const body = (await response.json()) as {
            content: { text: string }[];
            usage: (typeof usages)[number];
          };
          usages.push(body.usage);
          const answer = body.content.map((c) => c.text).join('');
          conversation = {
            ...conversation,
            turns: conversation.turns.map((t) =>
              t.id === `a${round}` ? { ...t, text: answer, status: 'complete' } : t,
            ),
            lastCompleted: { atMs: clock.now(), model: SONNET },
          };
          clock.advance(10_000);
        }
        const [first, second, third] = usages;
        assert.equal(first!.cache_read_input_tokens, 0);
        assert.ok(second!.cache_read_input_tokens > 0, 'round 2 reads the system prompt');
        assert.ok(
          third!.cache_read_input_tokens > second!.cache_read_input_tokens,
          'round 3 reads the whole first round from the cache',
        );
        const counted = (u: (typeof usages)[number]): number =>
          u.input_tokens + u.cache_creation_input_tokens;
        const total = (u: (typeof usages)[number]): number => counted(u) + u.cache_read_input_tokens;
        assert.ok(third!.cache_read_input_tokens >= total(first!), 'the first round is read, not counted');
        assert.ok(
          counted(third!) < total(third!) * 0.7,
          `round 3 counts ${counted(third!)} of ${total(third!)}`,
        );
        // The estimate the chat hands the scheduler is close to what the server counts, and not below it.
        usages.forEach((u, i) => {
          const estimate = estimates[i]!;
          assert.ok(
            estimate >= counted(u) && estimate <= counted(u) * 1.1 + 20,
            `round ${i + 1}: ${estimate} vs ${counted(u)}`,
          );
        });
      },
    );
  });
});
