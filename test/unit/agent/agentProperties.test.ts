import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttemptOutcome } from '../../../src/pacer/index';
import { drainTimers } from '../../support/submitAndDrain';
import { agentRig, type ScriptedReply } from './agentRig';

const call = fc.constantFrom(
  { name: 'list_files', input: { glob: 'src/*.ts' } },
  { name: 'read_file', input: { path: 'src/a.ts' } },
  { name: 'read_file', input: { path: '../outside.txt' } },
  { name: 'read_file', input: { nope: 1 } },
  { name: 'no_such_tool', input: {} },
  { name: 'replace_lines', input: { path: 'src/b.ts', startLine: 1, endLine: 1, newText: 'welcome();' } },
);

const failure = (
  error: Extract<AttemptOutcome, { kind: 'failure' }>['error'],
  partialText = '',
): ScriptedReply => ({
  outcome: { kind: 'failure', error, partialText },
});

const reply: fc.Arbitrary<ScriptedReply> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      tools: fc.array(call, { minLength: 1, maxLength: 3 }),
      usage: fc.record({ inputTokens: fc.integer({ min: 1, max: 800 }) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ text: fc.string({ minLength: 1, maxLength: 20 }) }) },
  {
    weight: 1,
    arbitrary: fc.constant(
      failure({ kind: 'invalid_request', status: 400, message: 'bad', midStream: false }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constant(failure({ kind: 'connection', message: 'reset', midStream: true }, 'partial')),
  },
  {
    weight: 1,
    arbitrary: fc.constant(failure({ kind: 'overloaded', status: 529, message: 'busy', midStream: false })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ hang: fc.constant(true as const), partialText: fc.constantFrom('x', 'half') }),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      tools: [{ name: 'list_files', input: { glob: '*' } }],
      stopReason: 'max_tokens',
    }),
  },
);

void describe('property: an agent run ends exactly once', () => {
  void it('any scripted sequence, budget and cancel time gives one outcome, and nothing is sent after it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reply, { minLength: 1, maxLength: 8 }),
        fc.record({
          maxSteps: fc.integer({ min: 1, max: 6 }),
          maxInputTokens: fc.integer({ min: 100, max: 3000 }),
          contextTokens: fc.integer({ min: 50, max: 6000 }),
        }),
        fc.integer({ min: 0, max: 200_000 }),
        async (replies, budget, cancelAtMs) => {
          const rig = agentRig(replies);
          const run = rig.newRun({ budget });
          rig.clock.setTimer(() => run.cancel(), cancelAtMs);
          let endings = 0;
          const outcome = await rig.runToEnd(run).then((o) => {
            endings++;
            return o;
          });
          const sentBefore = rig.record.submissions.length;
          const eventsBefore = rig.record.events.length;
          run.cancel();
          await drainTimers(rig.clock, { maxTimers: 300 });
          assert.equal(endings, 1);
          assert.ok(['answered', 'stopped', 'failed', 'cancelled'].includes(outcome.status));
          assert.equal(rig.record.submissions.length, sentBefore, 'no step after the outcome');
          assert.equal(rig.record.events.length, eventsBefore, 'no event after the outcome');
          assert.equal(outcome.steps, sentBefore);
          assert.ok(outcome.steps <= budget.maxSteps);
          // Every step ran through the scheduler once: attempts only repeat for a retried 529.
          const retried = replies.some(
            (r) => 'outcome' in r && r.outcome.kind === 'failure' && r.outcome.error.kind === 'overloaded',
          );
          if (!retried) assert.equal(rig.transport.attempts.length, outcome.steps);
          if (outcome.status === 'stopped' && outcome.reason === 'max_input_tokens')
            assert.ok(outcome.inputTokensDrawn >= budget.maxInputTokens);
          if (outcome.status === 'stopped' && outcome.reason === 'max_steps')
            assert.equal(outcome.steps, budget.maxSteps);
        },
      ),
      { numRuns: 150 },
    );
  });
});
