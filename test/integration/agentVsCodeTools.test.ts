import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reviewByChoice, runAgentTask } from '../../src/agent/agentTask';
import { invokeLmTool } from '../../src/agent/vscodeLmTools';
import type { ToolResultBlock } from '../../src/pacer/index';
import { waitUntil } from '../support/waitUntil';
import { note } from './support/reportFile';
import { withSimulator } from './support/pacer';

/** The fixture extension under test/fixtures/lm-consumer registers this tool. */
const CONSUMER_ID = 'claude-pacer-tests.lm-consumer';
const TOOL = 'lmConsumer_lookup';
const SCRIPT = {
  match: 'look up pacer',
  steps: [
    { toolUses: [{ name: TOOL, input: { word: 'pacer' } }] },
    { toolUses: [{ name: 'not_a_tool', input: {} }] },
    { text: 'A pacer sets the pace.' },
  ],
};

suite('Agent task with tools from VS Code', () => {
  test("a tool another extension registered (vscode.lm.tools) is offered, called through vscode.lm.invokeTool after the user's yes, and its text sent back; an unknown tool is an error result", async function () {
    this.timeout(60_000);
    await vscode.extensions.getExtension(CONSUMER_ID)?.activate();
    assert.ok(
      vscode.lm.tools.some((t) => t.name === TOOL),
      `vscode.lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`,
    );
    const config = vscode.workspace.getConfiguration('claudePacer');
    await config.update('agent.useVsCodeTools', true, vscode.ConfigurationTarget.Global);
    const { api, dispose } = await withSimulator({ scripts: [SCRIPT] });
    try {
      await waitUntil(() => api.service.settings['agent.useVsCodeTools'], {
        timeoutMs: 10_000,
        intervalMs: 20,
        what: 'the setting to apply',
      });
      const asked: string[] = [];
      const result = await runAgentTask(api.service, vscode.workspace.workspaceFolders![0]!, {
        task: 'Please look up pacer.',
        review: reviewByChoice(() => Promise.resolve(new Set<string>())),
        signal: new AbortController().signal,
        externalTools: {
          confirm: (name, input) => {
            asked.push(`${name} ${JSON.stringify(input)}`);
            return Promise.resolve(true);
          },
          invoke: invokeLmTool,
          maxResultChars: 20_000,
        },
      });
      assert.equal(result.outcome.status, 'answered', JSON.stringify(result.outcome));
      assert.equal(result.outcome.steps, 3);
      const results = result.outcome.messages
        .flatMap((m) => (typeof m.content === 'string' ? [] : m.content))
        .filter((b): b is ToolResultBlock => b.type === 'tool_result');
      note(`tool results: ${JSON.stringify(results)}`);
      assert.deepEqual(asked, [`${TOOL} {"word":"pacer"}`]);
      assert.equal(results[0]?.content, 'pacer: one who sets the pace');
      assert.equal(results[0]?.is_error, undefined);
      assert.equal(results[1]?.is_error, true);
      assert.match(JSON.stringify(results[1]?.content), /no tool named \\"not_a_tool\\"/);
    } finally {
      await config.update('agent.useVsCodeTools', undefined, vscode.ConfigurationTarget.Global);
      await dispose();
    }
  });
});
