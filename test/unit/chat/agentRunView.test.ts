import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_AGENT_LABEL_CHARS,
  MAX_AGENT_LINES,
  parseAgentRunView,
  type AgentRunView,
} from '../../../src/chat/model/agentRunView';
import { parseWebviewMessage } from '../../../src/chat/model/chatProtocol';
import { parseHostMessage } from '../../../src/chat/model/parseHostMessage';

const RUN: AgentRunView = {
  id: 'run-1',
  task: 'rename greet to welcome',
  afterMessageId: 'm1',
  status: 'running',
  activity: 'Step 4 is sending',
  lines: ['Step 1: list_files', 'Step 3: read_file was refused or failed'],
  wait: { step: 4, reason: 'input tokens per minute', remainingMs: 12_000 },
  text: 'Looking.',
};

void describe('agent run messages', () => {
  void it('the page takes a well-formed run, and a list of them, unchanged', () => {
    assert.deepEqual(parseHostMessage({ type: 'agentRun', run: RUN }), { type: 'agentRun', run: RUN });
    assert.deepEqual(parseHostMessage({ type: 'agentRuns', runs: [RUN] }), {
      type: 'agentRuns',
      runs: [RUN],
    });
    const { wait: _wait, activity: _activity, afterMessageId: _after, ...minimal } = RUN;
    assert.deepEqual(parseAgentRunView(minimal), minimal);
  });

  void it('the page refuses a run with a bad, missing or oversized field', () => {
    const bad: unknown[] = [
      { ...RUN, id: '../x' },
      { ...RUN, status: 'hacked' },
      { ...RUN, lines: 'Step 1' },
      { ...RUN, lines: [1] },
      { ...RUN, lines: Array.from({ length: MAX_AGENT_LINES + 1 }, () => 'x') },
      { ...RUN, note: 'x'.repeat(MAX_AGENT_LABEL_CHARS + 1) },
      { ...RUN, wait: { step: -1, reason: 'x' } },
      { ...RUN, wait: { step: 1, reason: '' } },
      { ...RUN, wait: { step: 1, reason: 'x', remainingMs: Number.NaN } },
      { ...RUN, afterMessageId: 'a b' },
      { ...RUN, activity: null },
      { ...RUN, text: undefined },
    ];
    for (const run of bad) assert.equal(parseAgentRunView(run), undefined, JSON.stringify(run));
    assert.equal(parseHostMessage({ type: 'agentRun' }), undefined);
    assert.equal(parseHostMessage({ type: 'agentRuns', runs: [RUN, { ...RUN, id: '' }] }), undefined);
  });

  void it('the host takes agent mode Send, Cancel and the review buttons only when well-formed (the page is untrusted)', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'sendAgent', text: 'do it', cwd: '/' }), {
      type: 'sendAgent',
      text: 'do it',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'cancelAgent', runId: 'run-1' }), {
      type: 'cancelAgent',
      runId: 'run-1',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'reviewAgent', runId: 'run-1', action: 'rejectAll' }), {
      type: 'reviewAgent',
      runId: 'run-1',
      action: 'rejectAll',
    });
    const hostile: unknown[] = [
      { type: 'reviewAgent', runId: 'run-1', action: 'writeEverything' },
      { type: 'reviewAgent', runId: 'run-1' },
      { type: 'reviewAgent', action: 'acceptAll' },
      { type: 'reviewAgent', runId: '../run', action: 'acceptAll' },
      { type: 'sendAgent' },
      { type: 'sendAgent', text: '  ' },
      { type: 'sendAgent', text: 'x'.repeat(200_001) },
      { type: 'sendAgent', text: ['rm -rf /'] },
      { type: 'cancelAgent' },
      { type: 'cancelAgent', runId: '../../run' },
      { type: 'cancelAgent', runId: 7 },
      { type: 'acceptAgentFile', path: '../outside.txt' },
      { type: 'agentRun', run: RUN },
    ];
    for (const message of hostile)
      assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
  });
});
