import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectionRequest, type SelectionTask } from '../../../src/commands/model/editPrompts';
import { extractProposal } from '../../../src/commands/model/editReply';
import { configDefaults } from '../../../sim/config';
import { planReply } from '../../../sim/replies';
import { countTokens } from '../../../sim/tokens';
import { client, post, SONNET, testConfig, withSim } from './harness';

interface TextBody {
  content: Array<{ text: string }>;
  stop_reason: string;
  usage: { output_tokens: number };
}

const SHAPED = { minOutputTokens: 60, maxOutputTokens: 240, tokensPerSecond: 0, style: 'shaped' };
const CHARS = { rule: 'chars', charsPerToken: 4 } as const;

/** Streams a request with the real SDK: the text, the number of text deltas and the final message. */
async function stream(
  sim: Parameters<typeof client>[0],
  body: { messages: Array<{ role: 'user'; content: string }>; max_tokens: number; system?: string },
): Promise<{ text: string; deltas: number; stopReason: string | null; outputTokens: number }> {
  const events = client(sim).messages.stream({ model: SONNET, ...body });
  let deltas = 0;
  events.on('text', () => deltas++);
  const message = await events.finalMessage();
  const block = message.content[0];
  return {
    text: block?.type === 'text' ? block.text : '',
    deltas,
    stopReason: message.stop_reason,
    outputTokens: message.usage.output_tokens,
  };
}

/** The Messages body the extension sends for a selection command (the real prompt builder). */
function commandBody(task: SelectionTask, code: string, languageId: string, maxTokens = 4000) {
  const request = selectionRequest(
    task,
    { languageId, fileName: `src/demo.${languageId === 'python' ? 'py' : 'ts'}`, code },
    SONNET,
    maxTokens,
  );
  return {
    max_tokens: maxTokens,
    system: request.system as string,
    messages: [{ role: 'user' as const, content: request.messages[0]!.content as string }],
  };
}

void describe('shaped replies', () => {
  void it('answer a question with a heading, prose, a list and a closed code block; usage counts exactly what streamed', async () => {
    await withSim(testConfig({ reply: SHAPED }), async (sim) => {
      const body = {
        max_tokens: 1000,
        messages: [{ role: 'user' as const, content: 'How does a token bucket work?' }],
      };
      const reply = await stream(sim, body);
      assert.match(reply.text, /^## How does a token bucket work\n\n/);
      assert.match(reply.text, /\n- \S/, 'a list item');
      assert.match(reply.text, /\n```(typescript|python)\n[\s\S]+?\n```\n/, 'a closed fenced block');
      assert.equal(reply.stopReason, 'end_turn');
      assert.equal(reply.deltas, reply.outputTokens, 'one delta per output token');
      assert.equal(countTokens([reply.text], CHARS), reply.outputTokens);
      assert.equal(reply.text.length, reply.outputTokens * 4);
      assert.ok(reply.outputTokens >= 60 && reply.outputTokens <= 240, String(reply.outputTokens));
      assert.equal((await stream(sim, body)).text, reply.text, 'deterministic');
    });
  });

  void it('fit exactly the length the config asks for, down to a few tokens', async () => {
    for (const tokens of [3, 12, 40, 80, 120, 300]) {
      await withSim(
        testConfig({ reply: { minOutputTokens: tokens, maxOutputTokens: tokens, style: 'shaped' } }),
        async (sim) => {
          const res = (await (
            await post(sim, '/v1/messages', {
              model: SONNET,
              max_tokens: 1000,
              messages: [{ role: 'user', content: 'Why pace requests?' }],
            })
          ).json()) as TextBody;
          const text = res.content[0]!.text;
          assert.equal(res.usage.output_tokens, tokens);
          assert.equal(text.length, tokens * 4, `${tokens} tokens`);
          // Whatever fits is whole: a fence that opens also closes.
          assert.equal((text.match(/^```/gm) ?? []).length % 2, 0, text);
          if (tokens >= 120) assert.match(text, /```/);
          if (tokens >= 300) assert.match(text, /\n- /);
        },
      );
    }
  });

  void it('explain the selected code with a heading naming the file and the code itself in the block', async () => {
    await withSim(
      testConfig({ reply: { ...SHAPED, minOutputTokens: 150, maxOutputTokens: 150 } }),
      async (sim) => {
        const code = 'def mean(values):\n    return sum(values) / len(values)';
        const reply = await stream(sim, commandBody('explain', code, 'python'));
        assert.match(reply.text, /^## What this code in src\/demo\.py does\n/);
        assert.ok(reply.text.includes(`\n\`\`\`python\n${code}\n\`\`\`\n`), reply.text);
        assert.equal(reply.outputTokens, 150);
        assert.equal(reply.deltas, 150);
      },
    );
  });

  void it('explain the code the chat sends (Explain Selection asks there, the selection above the question)', async () => {
    await withSim(
      testConfig({ reply: { ...SHAPED, minOutputTokens: 150, maxOutputTokens: 150 } }),
      async (sim) => {
        const code = 'def mean(values):\n    return sum(values) / len(values)';
        const text = `Selected code \`src/demo.py:3-4\`:\n\`\`\`python\n${code}\n\`\`\`\n\nExplain what this code does, how, and anything surprising.`;
        const reply = await stream(sim, { max_tokens: 4000, messages: [{ role: 'user', content: text }] });
        assert.match(reply.text, /^## What this code in src\/demo\.py does\n/);
        assert.ok(reply.text.includes(`\n\`\`\`python\n${code}\n\`\`\`\n`), reply.text);
      },
    );
  });

  void it('are cut honestly at max_tokens', async () => {
    await withSim(testConfig({ reply: SHAPED }), async (sim) => {
      const reply = await stream(sim, {
        max_tokens: 7,
        messages: [{ role: 'user', content: 'Explain pacing' }],
      });
      assert.equal(reply.stopReason, 'max_tokens');
      assert.equal(reply.outputTokens, 7);
      assert.equal(reply.deltas, 7);
      assert.equal(reply.text.length, 28);
    });
  });

  void it('keep the words style identical to the generator before shaped replies (its output at 13c6c27)', () => {
    const golden = [
      [
        1,
        'a',
        20,
        200,
        4096,
        'end_turn',
        'Happy happy wait happy quiet their the by limits tokens today so answers tokens refills while tokens line keeps requests through flow editor turn pacing load toward and breaks turn channel load keeps load a so keeps keeps refills an limits while where refills keeps line tokens today load an wait breaks channel answers and steadily an so wait toward refills through channel quiet where keeps today the editor today the refills toward keeps bucket through under keeps the where th',
      ],
      [7, 'b', 5, 12, 8, 'end_turn', 'A pacing appear bucket u'],
      [
        42,
        'c',
        40,
        400,
        100,
        'max_tokens',
        'Pacing line quiet tokens happy and steadily a so channel so keeps editor load today bucket a while limits so the through nothing and turn steadily where bucket quiet requests quiet through nothing line editor keeps nothing while load nothing wait limits refills the limits happy so wait under toward answers breaks quiet nothing requests a by load so today answers keeps channel toward pacing toward ',
      ],
    ] as const;
    for (const [seed, hash, min, max, maxTokens, stopReason, text] of golden) {
      const plan = planReply(
        seed,
        hash,
        { ...configDefaults.reply, minOutputTokens: min, maxOutputTokens: max },
        maxTokens,
      );
      assert.equal(plan.tokens.join(''), text);
      assert.equal(plan.stopReason, stopReason);
      assert.ok(plan.tokens.every((t) => t.length === 4));
    }
  });
});

void describe('edit command replies', () => {
  const buggyTs =
    'export function total(items: number[]): number {\n  let sum = 0;\n  for (let i = 0; i <= items.length; i++) sum += items[i];\n  return sum;\n}';

  void it('Fix returns the selected code, fixed and commented, in one fenced block (even in the words style)', async () => {
    await withSim(testConfig({ reply: { minOutputTokens: 5, maxOutputTokens: 12 } }), async (sim) => {
      const reply = await stream(sim, commandBody('fix', buggyTs, 'typescript'));
      assert.equal(reply.stopReason, 'end_turn');
      assert.equal(reply.deltas, reply.outputTokens);
      assert.equal(countTokens([reply.text], CHARS), reply.outputTokens);
      const proposal = extractProposal(reply.text, reply.stopReason);
      assert.equal(proposal.kind, 'code');
      const code = proposal.kind === 'code' ? proposal.code : '';
      assert.match(code, /i < items\.length/);
      assert.doesNotMatch(code, /<= items/);
      assert.match(code, /^\/\/ Fixed: /);
      assert.ok(code.includes('  let sum = 0;\n'), 'the rest of the code comes back');
    });
  });

  void it('Add Documentation adds doc comments; Write Tests returns a test file', async () => {
    await withSim(testConfig(), async (sim) => {
      const py = 'def mean(values):\n    return sum(values) / len(values)';
      const documented = extractProposal(
        (await stream(sim, commandBody('document', py, 'python'))).text,
        'end_turn',
      );
      assert.deepEqual(documented, {
        kind: 'code',
        code: 'def mean(values):\n    """Mean."""\n    return sum(values) / len(values)',
      });
      const ts = extractProposal(
        (await stream(sim, commandBody('document', buggyTs, 'typescript'))).text,
        'end_turn',
      );
      assert.match(
        ts.kind === 'code' ? ts.code : '',
        /^\/\*\*\n \* Total\.\n \* @param items The items\.\n \*\/\nexport function total/,
      );
      const tests = extractProposal(
        (await stream(sim, commandBody('tests', buggyTs, 'typescript'))).text,
        'end_turn',
      );
      assert.match(
        tests.kind === 'code' ? tests.code : '',
        /import \{ total \} from '\.\/demo';[\s\S]*test\('total/,
      );
      const refactored = extractProposal(
        (await stream(sim, commandBody('refactor', py, 'python'))).text,
        'end_turn',
      );
      assert.match(
        refactored.kind === 'code' ? refactored.code : '',
        /^# Refactored: improve its structure without changing behaviour\.\ndef mean/,
      );
    });
  });

  void it('an edit reply cut by max_tokens ends with max_tokens and an open fence', async () => {
    await withSim(testConfig(), async (sim) => {
      const reply = await stream(sim, commandBody('fix', buggyTs, 'typescript', 10));
      assert.equal(reply.stopReason, 'max_tokens');
      assert.equal(reply.outputTokens, 10);
      assert.equal((reply.text.match(/^```/gm) ?? []).length, 1);
      assert.equal(extractProposal(reply.text, reply.stopReason).kind, 'truncated');
    });
  });
});
