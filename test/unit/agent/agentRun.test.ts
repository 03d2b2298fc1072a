import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContentBlock, MessageParam } from '../../../src/pacer/index';
import { agentRig } from './agentRig';

const LIST = { name: 'list_files', input: { glob: 'src/*.ts' } };
const READ_A = { name: 'read_file', input: { path: 'src/a.ts' } };

function blocks(message: MessageParam | undefined): readonly ContentBlock[] {
  if (message === undefined || typeof message.content === 'string') return [];
  return message.content;
}

function breakpoints(messages: readonly MessageParam[]): string[] {
  return messages.flatMap((m, i) => blocks(m).flatMap((b, j) => (b.cache_control ? [`${i}.${j}`] : [])));
}

void describe('agent run: steps through the scheduler', () => {
  void it('calls tools step by step on the interactive lane and ends answered, with each result paired to its call', async () => {
    const rig = agentRig([
      { text: 'Looking.', tools: [LIST] },
      { tools: [READ_A, { name: 'read_file', input: { path: 'src/b.ts' } }] },
      { text: 'Done: renamed.' },
    ]);
    const outcome = await rig.runToEnd(rig.newRun());
    assert.equal(outcome.status, 'answered');
    assert.equal(outcome.steps, 3);
    assert.equal(outcome.text, 'Looking.\n\nDone: renamed.');
    assert.equal(rig.transport.attempts.length, 3);
    assert.ok(rig.record.submissions.every((s) => s.options.lane === 'interactive'));
    assert.deepEqual(
      rig.record.submissions.map((s) => s.options.label),
      ['Agent step 1', 'Agent step 2', 'Agent step 3'],
    );
    const thirdRequest = rig.record.submissions[2]!.options.request.messages;
    assert.deepEqual(
      thirdRequest.map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant', 'user'],
    );
    const results = blocks(thirdRequest[4]);
    assert.deepEqual(
      results.map((b) => (b.type === 'tool_result' ? b.tool_use_id : '')),
      ['toolu_2_0', 'toolu_2_1'],
    );
    const readA = results[0]!;
    assert.ok(
      readA.type === 'tool_result' &&
        typeof readA.content === 'string' &&
        readA.content.includes('1: export function greet() {}'),
    );
    assert.deepEqual(
      rig.record.events
        .filter((e) => e.type === 'step' || e.type === 'tool_call')
        .map((e) => (e.type === 'step' ? `step ${e.step}` : `${e.step}:${e.name}`)),
      ['step 1', '1:list_files', 'step 2', '2:read_file', '2:read_file', 'step 3'],
    );
    assert.equal(outcome.inputTokensDrawn, 300);
    assert.equal(outcome.outputTokens, 30);
  });

  void it('puts cache breakpoints on the end of the previous prefix and of the growing one, and counts cache reads as not drawn', async () => {
    const cached = { inputTokens: 50, cacheReadInputTokens: 400, cacheCreationInputTokens: 30 };
    const rig = agentRig([
      { tools: [LIST], usage: cached },
      { tools: [READ_A], usage: cached },
      { text: 'ok', usage: cached },
    ]);
    const outcome = await rig.runToEnd(rig.newRun());
    const sent = rig.record.submissions.map((s) => breakpoints(s.options.request.messages));
    assert.deepEqual(sent, [['0.0'], ['0.0', '2.0'], ['2.0', '4.0']]);
    assert.equal(outcome.inputTokensDrawn, 3 * 80);
    const withReads = agentRig([{ text: 'ok', usage: cached }]);
    assert.equal(
      (await withReads.runToEnd(withReads.newRun({ cacheReadsCount: true }))).inputTokensDrawn,
      480,
    );
  });
});

void describe('agent run: tool errors and refusals', () => {
  void it('sends an error result for an unknown tool, malformed input and a path outside the workspace, and goes on', async () => {
    const rig = agentRig([
      {
        tools: [
          { name: 'rm_rf', input: {} },
          { name: 'read_file', input: { file: 'x' } },
          { name: 'read_file', input: { path: '../outside.txt' } },
        ],
      },
      { text: 'Could not.' },
    ]);
    const outcome = await rig.runToEnd(rig.newRun());
    assert.equal(outcome.status, 'answered');
    const results = blocks(rig.record.submissions[1]!.options.request.messages[2]);
    assert.deepEqual(
      results.map((b) =>
        b.type === 'tool_result' ? [b.is_error, typeof b.content === 'string' ? b.content : ''] : [],
      ),
      [
        [true, 'There is no tool named "rm_rf".'],
        [true, 'Invalid input for read_file: Unknown field "file"; expected: path, startLine, endLine.'],
        [true, '../outside.txt contains "..": use a path inside the workspace, relative to its root.'],
      ],
    );
    assert.deepEqual(rig.workspace.reads, []);
  });

  void it('an executor that throws becomes an error result', async () => {
    const rig = agentRig([{ tools: [LIST] }, { text: 'ok' }]);
    const run = rig.newRun({ executeTool: () => Promise.reject(new Error('disk gone')) });
    assert.equal((await rig.runToEnd(run)).status, 'answered');
    const [result] = blocks(rig.record.submissions[1]!.options.request.messages[2]);
    assert.deepEqual(result, {
      type: 'tool_result',
      tool_use_id: 'toolu_1_0',
      content: 'list_files failed: disk gone',
      is_error: true,
      cache_control: { type: 'ephemeral' },
    });
  });

  void it('proposed edits gather into the change set; nothing is written', async () => {
    const rig = agentRig([
      {
        tools: [
          {
            name: 'replace_lines',
            input: { path: 'src/a.ts', startLine: 1, endLine: 1, newText: 'export function welcome() {}' },
          },
        ],
      },
      { text: 'Proposed.' },
    ]);
    await rig.runToEnd(rig.newRun());
    assert.deepEqual(
      rig.tools.changes.files.map((f) => [f.path, f.proposedText]),
      [['src/a.ts', 'export function welcome() {}\n']],
    );
    assert.equal(rig.workspace.files.get('/work/ws/src/a.ts'), 'export function greet() {}\n');
  });
});

void describe('agent run: budgets', () => {
  void it('stops at max steps after exactly that many requests', async () => {
    const rig = agentRig([{ tools: [LIST] }]);
    const outcome = await rig.runToEnd(
      rig.newRun({ budget: { maxSteps: 4, maxInputTokens: 1e6, contextTokens: 1e6 } }),
    );
    assert.equal(outcome.status, 'stopped');
    assert.ok(
      outcome.status === 'stopped' &&
        outcome.reason === 'max_steps' &&
        /limit of 4 steps/.test(outcome.message),
    );
    assert.equal(rig.transport.attempts.length, 4);
  });

  void it('stops when the input tokens drawn reach the budget', async () => {
    const rig = agentRig([{ tools: [LIST], usage: { inputTokens: 1000 } }]);
    const outcome = await rig.runToEnd(
      rig.newRun({ budget: { maxSteps: 50, maxInputTokens: 2500, contextTokens: 1e6 } }),
    );
    assert.ok(
      outcome.status === 'stopped' && outcome.reason === 'max_input_tokens',
      JSON.stringify(outcome.status),
    );
    assert.equal(outcome.steps, 3);
    assert.equal(outcome.inputTokensDrawn, 3000);
  });

  void it('compacts the oldest tool results when the next step would not fit, and stops when nothing is left to compact', async () => {
    const big = 'x'.repeat(4000);
    const rig = agentRig([{ tools: [READ_A] }, { tools: [READ_A] }, { tools: [READ_A] }, { text: 'done' }]);
    rig.workspace.files.set('/work/ws/src/a.ts', big);
    const outcome = await rig.runToEnd(
      rig.newRun({ budget: { maxSteps: 10, maxInputTokens: 1e6, contextTokens: 3200 } }),
    );
    assert.equal(outcome.status, 'answered');
    const compacted = rig.record.events.filter((e) => e.type === 'compacted');
    assert.ok(compacted.length >= 1);
    const last = rig.record.submissions.at(-1)!.options.request;
    const results = last.messages
      .flatMap((m) => blocks(m))
      .flatMap((b) => (b.type === 'tool_result' && typeof b.content === 'string' ? [b.content] : []));
    assert.match(results[0]!, /^\[compacted\] The read_file result \(\d+ characters\) was removed/);
    assert.ok(results.at(-1)!.includes('xxxx'), 'the newest result is kept');

    const tiny = agentRig([{ text: 'never sent' }]);
    const full = await tiny.runToEnd(
      tiny.newRun({ budget: { maxSteps: 10, maxInputTokens: 1e6, contextTokens: 10 } }),
    );
    assert.ok(full.status === 'stopped' && full.reason === 'context_full');
    assert.equal(tiny.transport.attempts.length, 0);
  });
});

void describe('agent run: failures', () => {
  void it('a step the scheduler fails ends the run failed with its reason, and is not sent again', async () => {
    const rig = agentRig([
      { tools: [LIST] },
      {
        outcome: {
          kind: 'failure',
          error: { kind: 'invalid_request', status: 400, message: 'bad', midStream: false },
          partialText: '',
        },
      },
    ]);
    const outcome = await rig.runToEnd(rig.newRun());
    assert.ok(
      outcome.status === 'failed' &&
        outcome.failure.kind === 'request' &&
        outcome.failure.reason.kind === 'rejected',
    );
    assert.equal(rig.transport.attempts.length, 2);
  });

  void it('a stream broken after output keeps the partial text and sends nothing again', async () => {
    const rig = agentRig([
      {
        outcome: {
          kind: 'failure',
          error: { kind: 'connection', message: 'reset', midStream: true },
          partialText: 'Half an ans',
        },
      },
    ]);
    const outcome = await rig.runToEnd(rig.newRun());
    assert.ok(
      outcome.status === 'failed' &&
        outcome.failure.kind === 'request' &&
        outcome.failure.reason.kind === 'interrupted',
    );
    assert.equal(outcome.text, 'Half an ans');
    assert.equal(rig.transport.attempts.length, 1);
  });

  void it('a tool call cut by the output limit fails the run', async () => {
    const rig = agentRig([{ tools: [LIST], stopReason: 'max_tokens' }]);
    const outcome = await rig.runToEnd(rig.newRun());
    assert.ok(outcome.status === 'failed' && outcome.failure.kind === 'output_limit');
  });
});

void describe('agent run: a context budget that changes', () => {
  void it('asks a function budget again before each step', async () => {
    const rig = agentRig([{ tools: [{ name: 'read_file', input: { path: 'src/a.ts' } }] }]);
    rig.workspace.files.set('/work/ws/src/a.ts', 'y'.repeat(2000));
    let asked = 0;
    const outcome = await rig.runToEnd(
      rig.newRun({
        budget: {
          maxSteps: 10,
          maxInputTokens: 1e6,
          contextTokens: () => (++asked < 3 ? 1e6 : 100),
        },
      }),
    );
    assert.ok(outcome.status === 'stopped' && outcome.reason === 'context_full', outcome.status);
    assert.match(outcome.status === 'stopped' ? outcome.message : '', /does not fit 100 input tokens/);
    assert.equal(outcome.steps, 2);
    assert.equal(asked, 3);
  });
});

void describe('agent run: one outcome', () => {
  void it('a second run() gives the same outcome and sends nothing more', async () => {
    const rig = agentRig([{ tools: [LIST] }, { text: 'done' }]);
    const run = rig.newRun();
    const first = await rig.runToEnd(run);
    const again = await run.run();
    assert.equal(again, first);
    assert.equal(rig.transport.attempts.length, 2);
  });
});
