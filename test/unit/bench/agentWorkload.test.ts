import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scriptedStep } from '../../../sim/scriptReply';
import { countTokens } from '../../../sim/tokens';
import { WORKSPACE_TOOLS } from '../../../src/agent/model/agentTools';
import {
  AGENT_WORKLOAD,
  agentScript,
  agentTask,
  stepTokensOf,
  toolResultText,
} from '../../../bench/agentWorkload';

const CHARS = { rule: 'chars', charsPerToken: 4 } as const;

/** The body of a run's step after `results` tool-result turns. */
function bodyAfter(run: number, results: number): Record<string, unknown> {
  const turns = Array.from({ length: results }, (_, i) => [
    { role: 'assistant', content: [{ type: 'tool_use', id: `t${i}`, name: 'read_file', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: 'x' }] },
  ]).flat();
  return {
    tools: WORKSPACE_TOOLS,
    messages: [{ role: 'user', content: [{ type: 'text', text: agentTask(run) }] }, ...turns],
  };
}

describe('the agent benchmark workload', () => {
  it('gives each run its own script on the simulator: a file read per step, then the answer at the last step', () => {
    const scripts = Array.from({ length: AGENT_WORKLOAD.runs }, (_, i) => agentScript(i));
    for (let run = 0; run < AGENT_WORKLOAD.runs; run++) {
      const paths: unknown[] = [];
      for (let turn = 0; turn < AGENT_WORKLOAD.steps - 1; turn++) {
        const step = scriptedStep(scripts, bodyAfter(run, turn));
        assert.equal(step?.toolUses.length, 1, `run ${run} step ${turn + 1} calls one tool`);
        assert.equal(step.toolUses[0]!.name, 'read_file');
        paths.push(step.toolUses[0]!.input.path);
      }
      assert.equal(new Set(paths).size, AGENT_WORKLOAD.steps - 1, 'each step reads a new file');
      assert.ok(
        paths.every((p) => String(p).startsWith(`src/run${run + 1}/`)),
        'runs read their own files',
      );
      const last = scriptedStep(scripts, bodyAfter(run, AGENT_WORKLOAD.steps - 1));
      assert.deepEqual(last?.toolUses, []);
      assert.ok(last.text !== undefined && last.text.length > 0);
    }
  });

  it('returns tool results of exactly the set size in simulator tokens, the same for the same input', () => {
    const text = toolResultText({ path: 'src/run1/module3.ts' });
    assert.equal(countTokens([text], CHARS), AGENT_WORKLOAD.fileTokens);
    assert.equal(text, toolResultText({ path: 'src/run1/module3.ts' }));
    assert.notEqual(text, toolResultText({ path: 'src/run1/module4.ts' }));
    assert.equal(countTokens([toolResultText(null, 10)], CHARS), 10);
  });

  it('counts cache reads as drawn only for classes whose limit counts them, and always as carried', () => {
    const usage = {
      inputTokens: 100,
      outputTokens: 5,
      cacheCreationInputTokens: 1_500,
      cacheReadInputTokens: 9_000,
    };
    assert.deepEqual(stepTokensOf(usage, false), { drawn: 1_600, seen: 10_600 });
    assert.deepEqual(stepTokensOf(usage, true), { drawn: 10_600, seen: 10_600 });
  });
});
