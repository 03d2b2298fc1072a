import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeAgentEvent } from '../../../src/agent/model/agentProgress';

const NOW = Date.UTC(2026, 0, 1);

void describe('agent progress line', () => {
  void it('says the step, the tool, the wait with its countdown, and compaction; nothing for text', () => {
    assert.equal(
      describeAgentEvent({ type: 'step', step: 3, estimatedInputTokens: 10 }, NOW),
      'Step 3 is sending',
    );
    assert.equal(
      describeAgentEvent(
        { type: 'waiting', step: 4, wait: { reason: 'input tokens per minute', remainingMs: 12_000 } },
        NOW,
      ),
      'Step 4 waits 0:12 for input tokens per minute',
    );
    assert.equal(
      describeAgentEvent({ type: 'waiting', step: 4, wait: { reason: 'a free slot' } }, NOW),
      'Step 4 waits for a free slot',
    );
    assert.equal(
      describeAgentEvent({ type: 'tool_call', step: 2, id: 't', name: 'read_file', input: {} }, NOW),
      'Step 2: read_file',
    );
    assert.equal(
      describeAgentEvent({ type: 'tool_result', step: 2, id: 't', name: 'read_file', isError: true }, NOW),
      'Step 2: read_file was refused or failed',
    );
    assert.equal(
      describeAgentEvent({ type: 'tool_result', step: 2, id: 't', name: 'read_file', isError: false }, NOW),
      undefined,
    );
    assert.equal(
      describeAgentEvent({ type: 'compacted', step: 5, results: 2, estimatedInputTokens: 9 }, NOW),
      'Step 5: 2 old tool results compacted to fit the context',
    );
    assert.equal(describeAgentEvent({ type: 'text', step: 1, delta: 'x' }, NOW), undefined);
  });

  void it('goes through the given Localize', () => {
    const line = describeAgentEvent(
      { type: 'step', step: 1, estimatedInputTokens: 1 },
      NOW,
      (m, ...a) => `[${m}|${a.join(',')}]`,
    );
    assert.equal(line, '[Step {0} is sending|1]');
  });
});
