import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentRunLog } from '../../../src/agent/model/agentRunLog';
import type { AgentRunView } from '../../../src/chat/model/agentRunView';
import { agentRig } from './agentRig';

const LIST = { name: 'list_files', input: { glob: 'src/*.ts' } };
const OUTSIDE = { name: 'read_file', input: { path: '../outside.txt' } };
const NOW = Date.UTC(2026, 0, 1);

function newLog(): AgentRunLog {
  return new AgentRunLog({ id: 'run-1', task: 'Rename greet to welcome.', afterMessageId: 'm1' });
}

void describe('agent run log (what the chat shows inline)', () => {
  void it('on a fake clock: a line per tool and refusal, the waiting step with why and how long, shown once per wait', async () => {
    const rig = agentRig([{ text: 'Looking.', tools: [LIST] }, { tools: [OUTSIDE] }, { text: 'Done.' }], {
      requests: 1,
      inputTokens: 1e6,
      outputTokens: 1e6,
    });
    const log = newLog();
    const shown: AgentRunView[] = [];
    let ticks = 0;
    const outcome = await rig.runToEnd(
      rig.newRun({
        onEvent: (event) => {
          if (event.type === 'waiting') ticks++;
          if (log.apply(event, rig.clock.now())) shown.push(log.view);
        },
      }),
    );
    assert.equal(outcome.status, 'answered');
    const waits = shown.filter((v) => v.wait !== undefined);
    assert.deepEqual(
      waits.map((v) => v.wait!.step),
      [2, 3],
      'each waiting step is shown once',
    );
    const first = waits[0]!.wait!;
    assert.equal(first.step, 2);
    assert.match(first.reason, /requests per minute/);
    assert.ok(first.remainingMs! > 30_000 && first.remainingMs! <= 60_000, String(first.remainingMs));
    assert.ok(
      ticks > waits.length,
      `the per-second ticks (${ticks}) are not all shown again (${waits.length})`,
    );
    const last = log.view;
    assert.deepEqual(last.lines, [
      'Step 1: list_files',
      'Step 2: read_file',
      'Step 2: read_file was refused or failed',
    ]);
    assert.equal(last.wait, undefined, 'no wait once the step went');
    assert.equal(last.text, 'Looking.\n\nDone.', "steps' texts apart as in the outcome");
    log.end('answered', outcome.text, 'Claude finished in 3 steps.');
    assert.deepEqual(
      { status: log.view.status, text: log.view.text, note: log.view.note, isRunning: log.isRunning },
      {
        status: 'answered',
        text: 'Looking.\n\nDone.',
        note: 'Claude finished in 3 steps.',
        isRunning: false,
      },
    );
  });

  void it('a wait is shown again when what it waits for or its end moves by a second or more', () => {
    const log = newLog();
    const wait = (reason: string, remainingMs?: number) => ({
      type: 'waiting' as const,
      step: 4,
      wait: remainingMs === undefined ? { reason } : { reason, remainingMs },
    });
    assert.equal(log.apply(wait('input tokens per minute', 12_000), NOW), true);
    assert.equal(log.apply(wait('input tokens per minute', 11_000), NOW + 1_000), false, 'the same end');
    assert.equal(log.apply(wait('input tokens per minute', 10_400), NOW + 1_000), false, '0.6 s earlier');
    assert.equal(log.apply(wait('input tokens per minute', 10_000), NOW + 1_000), true, '1 s earlier');
    assert.deepEqual(log.view.wait, { step: 4, reason: 'input tokens per minute', remainingMs: 10_000 });
    assert.equal(log.apply(wait('requests per minute', 10_000), NOW + 1_000), true, 'another reason');
    assert.equal(log.apply(wait('requests per minute'), NOW + 1_000), true, 'no known end');
    assert.equal(log.apply({ type: 'text', step: 4, delta: 'Hi' }, NOW + 2_000), true);
    assert.equal(log.view.wait, undefined, 'output ends the wait');
  });

  void it('a cancelled run keeps its partial text; after the end nothing changes it', () => {
    const log = newLog();
    log.apply({ type: 'step', step: 1, estimatedInputTokens: 10 }, NOW);
    assert.equal(log.view.activity, 'Step 1 is sending');
    log.apply({ type: 'text', step: 1, delta: 'Half an ans' }, NOW);
    log.end('cancelled', 'Half an ans', 'Cancelled; nothing was written.');
    assert.equal(log.apply({ type: 'text', step: 1, delta: 'wer' }, NOW), false);
    assert.equal(log.view.text, 'Half an ans');
    assert.equal(log.view.activity, undefined);
    assert.equal(log.view.status, 'cancelled');
  });

  void it('reviewing: the run waits for the review with a note, and shows no wait', () => {
    const log = newLog();
    log.apply({ type: 'waiting', step: 1, wait: { reason: 'x', remainingMs: 5_000 } }, NOW);
    log.reviewing('Review the 2 proposed files.');
    assert.equal(log.view.status, 'reviewing');
    assert.equal(log.view.wait, undefined);
    assert.equal(log.view.note, 'Review the 2 proposed files.');
    assert.equal(log.isRunning, false);
  });
});
