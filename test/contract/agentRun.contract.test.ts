// An agent run end to end: the pure loop, the real Scheduler, the real SDK transport and the
// simulator's scripted tool-use replies, on one manual clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentRun } from '../../src/agent/model/agentRun';
import { WORKSPACE_TOOLS } from '../../src/agent/model/agentTools';
import type { AgentEvent, AgentOutcome, StepResult, StepSender } from '../../src/agent/model/agentTypes';
import { runTool } from '../../src/agent/model/runTool';
import { estimateByCharacters, type TextBlock, type ToolUseBlock } from '../../src/pacer/index';
import { MemoryWorkspace, toolContext } from '../unit/agent/memoryWorkspace';
import { MODEL, org, simConfig, startRig, type Rig } from './schedulerRig';

const ORG = '0a0a0a0a-0000-4000-8000-000000000001';
const KEY = { id: 'k1', secret: 'sk-ant-sim-agent-contract' };
const SCRIPT = {
  match: 'Rename greet',
  steps: [
    { text: 'Looking for greet.', toolUses: [{ name: 'search_text', input: { query: 'greet' } }] },
    {
      toolUses: [
        { name: 'read_file', input: { path: 'src/a.ts' } },
        { name: 'read_file', input: { path: 'src/b.ts' } },
      ],
    },
    { toolUses: [{ name: 'read_file', input: { path: '../outside.txt' } }] },
    {
      toolUses: [
        {
          name: 'replace_lines',
          input: { path: 'src/a.ts', startLine: 1, endLine: 1, newText: 'export function welcome() {}' },
        },
        {
          name: 'replace_lines',
          input: { path: 'src/b.ts', startLine: 1, endLine: 1, newText: 'welcome();' },
        },
      ],
    },
    { text: 'Renamed greet to welcome in src/a.ts and src/b.ts.' },
  ],
};

/** The scheduler's submit, with the reply's blocks from the transport's outcome (what PacerService.submitForContent does). */
function senderOf(rig: Rig): StepSender {
  return {
    submitForContent(options) {
      const handle = rig.scheduler.submit(options);
      const result = handle.result.then((r): StepResult => {
        const outcome = rig.attempts.filter((a) => a.requestId === handle.id).at(-1)?.outcome;
        const content: readonly (TextBlock | ToolUseBlock)[] | undefined =
          outcome?.kind === 'success' ? outcome.content : undefined;
        return r.status === 'completed' && content !== undefined ? { ...r, content } : r;
      });
      return { handle, result };
    },
  };
}

async function agentRun(requestsPerMinute: number, promptCaching: boolean) {
  const rig = await startRig({
    config: simConfig([org(ORG, [KEY.secret], { requestsPerMinute })], { scripts: [SCRIPT] }),
    keys: [KEY],
  });
  try {
    const workspace = new MemoryWorkspace({
      'src/a.ts': 'export function greet() {}\n',
      'src/b.ts': 'greet();\n',
      '/work/outside.txt': 'OUTSIDE',
    });
    const tools = toolContext(workspace);
    const events: AgentEvent[] = [];
    const run = new AgentRun({
      model: MODEL,
      maxTokens: 1000,
      task: 'Rename greet to welcome in every file.',
      tools: WORKSPACE_TOOLS,
      budget: { maxSteps: 10, maxInputTokens: 100_000, contextTokens: 50_000 },
      sender: senderOf(rig),
      executeTool: (name, input) => runTool(name, input, tools),
      estimateInputTokens: estimateByCharacters,
      cacheReadsCount: false,
      promptCaching,
      clock: rig.clock,
      onEvent: (event) => events.push(event),
    });
    let outcome: AgentOutcome | undefined;
    void run.run().then((o) => (outcome = o));
    await rig.runUntil(() => outcome !== undefined);
    return { outcome: outcome!, events, tools, workspace, messages: rig.messages() };
  } finally {
    await rig.close();
  }
}

void describe('agent run contract: scheduler, SDK transport and scripted simulator', () => {
  void it('lists, reads, is refused outside, proposes a two-file change set, and waits on the request limit on the way', async () => {
    const { outcome, events, tools, workspace, messages } = await agentRun(2, true);
    assert.equal(outcome.status, 'answered', JSON.stringify(outcome.status === 'failed' && outcome.failure));
    assert.equal(outcome.steps, 5);
    assert.equal(messages.length, 5);
    assert.match(outcome.text, /Renamed greet to welcome/);
    assert.deepEqual(
      tools.changes.files.map((f) => [f.path, f.proposedText]),
      [
        ['src/a.ts', 'export function welcome() {}\n'],
        ['src/b.ts', 'welcome();\n'],
      ],
    );
    assert.equal(workspace.files.get('/work/ws/src/a.ts'), 'export function greet() {}\n', 'nothing written');
    assert.deepEqual(
      events
        .filter((e) => e.type === 'tool_result' && e.isError)
        .map((e) => e.type === 'tool_result' && e.name),
      ['read_file'],
    );
    const waits = events.filter((e): e is Extract<AgentEvent, { type: 'waiting' }> => e.type === 'waiting');
    assert.ok(waits.length > 0, 'a step waited for the 2-per-minute request limit');
    assert.ok(
      waits.every((w) => w.step >= 3 && (w.wait.remainingMs ?? 0) > 0 && /request/.test(w.wait.reason)),
      JSON.stringify(waits[0]),
    );
  });

  void it('prompt caching: later steps read the prefix from the cache, so they draw fewer input tokens', async (t) => {
    const cached = await agentRun(600, true);
    const uncached = await agentRun(600, false);
    const reads = cached.messages.map((m) => m.cacheReadInputTokens ?? 0);
    assert.equal(reads[0], 0);
    assert.ok(
      reads.slice(1).every((r) => r > 0),
      JSON.stringify(reads),
    );
    assert.ok(uncached.messages.every((m) => (m.cacheReadInputTokens ?? 0) === 0));
    assert.ok(
      cached.outcome.inputTokensDrawn < uncached.outcome.inputTokensDrawn,
      `${cached.outcome.inputTokensDrawn} drawn with caching, ${uncached.outcome.inputTokensDrawn} without`,
    );
    t.diagnostic(
      `input tokens drawn over 5 steps: ${cached.outcome.inputTokensDrawn} with prompt caching, ${uncached.outcome.inputTokensDrawn} without`,
    );
  });
});
