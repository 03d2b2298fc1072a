import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentRun } from '../../../src/agent/model/agentRun';
import type { AgentEvent } from '../../../src/agent/model/agentTypes';
import { describeAgentEvent } from '../../../src/agent/model/agentProgress';
import { agentRig } from './agentRig';

const LIST = { name: 'list_files', input: { glob: 'src/*.ts' } };

/** A run that cancels itself (after `delayMs` on the rig's clock) at the first event `when` accepts. */
function cancelling(
  rig: ReturnType<typeof agentRig>,
  when: (e: AgentEvent) => boolean,
  delayMs = 0,
): AgentRun {
  let isArmed = true;
  const run: AgentRun = rig.newRun({
    onEvent: (event) => {
      rig.record.events.push(event);
      if (!isArmed || !when(event)) return;
      isArmed = false;
      if (delayMs === 0) run.cancel();
      else rig.clock.setTimer(() => run.cancel(), delayMs);
    },
  });
  return run;
}

void describe('agent run: cancellation at every stage', () => {
  void it('before the first step: nothing is sent', async () => {
    const rig = agentRig([{ text: 'never' }]);
    const abort = new AbortController();
    abort.abort();
    const outcome = await rig.runToEnd(rig.newRun({ signal: abort.signal }));
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.steps, 0);
    assert.equal(rig.transport.attempts.length, 0);
  });

  void it('while a step waits for the limits: it reports the wait, then is never sent', async () => {
    const rig = agentRig([{ tools: [LIST] }, { text: 'never' }], {
      requests: 1,
      inputTokens: 1e6,
      outputTokens: 1e6,
    });
    const outcome = await rig.runToEnd(cancelling(rig, (e) => e.type === 'waiting' && e.step === 2, 3000));
    assert.equal(outcome.status, 'cancelled');
    assert.equal(rig.transport.attempts.length, 1);
    const waits = rig.record.events.filter(
      (e): e is Extract<AgentEvent, { type: 'waiting' }> => e.type === 'waiting',
    );
    assert.ok(waits.length >= 2, JSON.stringify(waits));
    const [first, second] = waits;
    assert.match(first!.wait.reason, /request/);
    const firstMs = first!.wait.remainingMs!;
    assert.ok(firstMs > 30_000 && firstMs <= 60_000, String(firstMs));
    assert.equal(firstMs - second!.wait.remainingMs!, 1000, 'the wait is described again each second');
    assert.match(
      describeAgentEvent(first!, rig.clock.now())!,
      /^Step 2 waits [01]:\d\d for requests per minute$/,
    );
  });

  void it('while a step is in flight: its request is aborted at once and nothing is sent again', async () => {
    const rig = agentRig([{ hang: true }]);
    const outcome = await rig.runToEnd(cancelling(rig, (e) => e.type === 'step', 5000));
    assert.equal(outcome.status, 'cancelled');
    assert.equal(rig.transport.attempts.length, 1);
    assert.equal(rig.transport.attempts[0]!.signal.aborted, true);
  });

  void it('after output arrived: the partial text is kept and the step is not re-sent', async () => {
    const rig = agentRig([{ hang: true, partialText: 'Partly ans' }]);
    const outcome = await rig.runToEnd(cancelling(rig, (e) => e.type === 'text', 5000));
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.text, 'Partly ans');
    assert.equal(rig.transport.attempts.length, 1);
  });

  void it('while a tool runs (and ignores the signal): the run ends at once, no result is sent', async () => {
    const rig = agentRig([{ tools: [LIST] }, { text: 'never' }]);
    let toolSignal: AbortSignal | undefined;
    const run = rig.newRun({
      executeTool: (_name, _input, signal) => {
        toolSignal = signal;
        rig.clock.setTimer(() => run.cancel(), 1000);
        return new Promise(() => undefined);
      },
    });
    const outcome = await rig.runToEnd(run);
    assert.equal(outcome.status, 'cancelled');
    assert.equal(toolSignal?.aborted, true);
    assert.equal(rig.transport.attempts.length, 1);
    assert.equal(rig.record.events.filter((e) => e.type === 'tool_result').length, 0);
  });

  void it("between a step's tools and the next step: the results are not sent", async () => {
    const rig = agentRig([{ tools: [LIST, LIST] }, { text: 'never' }]);
    const outcome = await rig.runToEnd(cancelling(rig, (e) => e.type === 'tool_result'));
    assert.equal(outcome.status, 'cancelled');
    assert.equal(rig.transport.attempts.length, 1);
    assert.equal(
      rig.record.events.filter((e) => e.type === 'tool_call').length,
      1,
      'the second tool never started',
    );
  });
});
