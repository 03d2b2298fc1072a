import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WORKSPACE_TOOLS } from '../../../src/agent/model/agentTools';
import {
  externalResultText,
  externalToolDefinitions,
  MAX_EXTERNAL_TOOLS,
  withExternalTools,
  type ExternalToolInfo,
} from '../../../src/agent/model/externalTools';
import { toolError, type ToolOutcome } from '../../../src/agent/model/toolContext';

const WORKSPACE_NAMES = new Set(WORKSPACE_TOOLS.map((t) => t.name));
const issueSchema = {
  type: 'object',
  properties: { title: { type: 'string' } },
  required: ['title'],
};

const tool = (name: string, inputSchema?: object, description = `${name} does things`): ExternalToolInfo => ({
  name,
  description,
  inputSchema,
});

describe('tools from VS Code (vscode.lm.tools)', () => {
  it('maps names, descriptions and input schemas to Messages API tool definitions', () => {
    assert.deepEqual(
      externalToolDefinitions([tool('mcp_github_create_issue', issueSchema)], WORKSPACE_NAMES),
      [
        {
          name: 'mcp_github_create_issue',
          description: 'mcp_github_create_issue does things',
          input_schema: issueSchema,
        },
      ],
    );
  });

  it('gives a tool without an object schema an empty object schema', () => {
    const defs = externalToolDefinitions(
      [tool('no_schema'), tool('string_schema', { type: 'string' }), tool('odd', ['x'])],
      WORKSPACE_NAMES,
    );
    for (const d of defs) assert.deepEqual(d.input_schema, { type: 'object', properties: {} }, d.name);
    assert.equal(defs.length, 3);
  });

  it('leaves out names the API refuses and names already taken (a workspace tool, or an earlier external one)', () => {
    const defs = externalToolDefinitions(
      [
        tool('read_file'),
        tool('has.dot'),
        tool('has space'),
        tool(''),
        tool('x'.repeat(65)),
        tool('search_docs', undefined, 'first'),
        tool('search_docs', undefined, 'second'),
      ],
      WORKSPACE_NAMES,
    );
    assert.deepEqual(
      defs.map((d) => [d.name, d.description]),
      [['search_docs', 'first']],
    );
  });

  it(`offers at most ${MAX_EXTERNAL_TOOLS} tools and caps long descriptions`, () => {
    const many = Array.from({ length: MAX_EXTERNAL_TOOLS + 10 }, (_, i) =>
      tool(`t${i}`, undefined, 'd'.repeat(5_000)),
    );
    const defs = externalToolDefinitions(many, WORKSPACE_NAMES);
    assert.equal(defs.length, MAX_EXTERNAL_TOOLS);
    assert.ok(defs.every((d) => (d.description ?? '').length === 1_024));
  });

  it("joins a result's text parts, notes the others, and caps the text like other tool results", () => {
    assert.equal(externalResultText([{ value: 'one' }, { value: 'two' }], 1_000), 'one\ntwo');
    assert.equal(
      externalResultText([{ value: 'one' }, { data: new Uint8Array(3) }], 1_000),
      'one\n[1 non-text part left out]',
    );
    assert.equal(externalResultText([], 1_000), '(The tool returned nothing.)');
    const capped = externalResultText([{ value: 'a'.repeat(10_000) }], 500);
    assert.ok(capped.length <= 500, `length ${capped.length}`);
    assert.match(capped, /\[\d+ characters left out\]$/);
  });

  describe('the executor', () => {
    const workspace = (name: string): Promise<ToolOutcome> =>
      Promise.resolve(
        name === 'read_file'
          ? { content: 'file text', isError: false }
          : toolError(`There is no tool named ${JSON.stringify(name)}.`),
      );
    const offered = externalToolDefinitions([tool('search_docs')], WORKSPACE_NAMES);
    const signal = new AbortController().signal;

    it('sends an offered external tool to invoke with its input and the run signal, and workspace tools to the workspace', async () => {
      const calls: Array<{ name: string; input: object; signal: AbortSignal }> = [];
      const asked: string[] = [];
      const run = withExternalTools(workspace, offered, {
        confirm: (name, input) => {
          asked.push(`${name} ${JSON.stringify(input)}`);
          return Promise.resolve(true);
        },
        invoke: (name, input, s) => {
          calls.push({ name, input, signal: s });
          return Promise.resolve([{ value: 'found it' }]);
        },
        maxResultChars: 1_000,
      });
      assert.deepEqual(await run('search_docs', { q: 'pacing' }, signal), {
        content: 'found it',
        isError: false,
      });
      assert.deepEqual(calls, [{ name: 'search_docs', input: { q: 'pacing' }, signal }]);
      assert.deepEqual(await run('read_file', { path: 'a.ts' }, signal), {
        content: 'file text',
        isError: false,
      });
      assert.equal(calls.length, 1);
      assert.deepEqual(
        asked,
        ['search_docs {"q":"pacing"}'],
        'the user was asked for the external call only',
      );
    });

    it('does not invoke a call the user declined, and says so to the model', async () => {
      let invoked = 0;
      const run = withExternalTools(workspace, offered, {
        confirm: () => Promise.resolve(false),
        invoke: () => {
          invoked++;
          return Promise.resolve([]);
        },
        maxResultChars: 1_000,
      });
      assert.deepEqual(
        await run('search_docs', {}, signal),
        toolError('The user declined to run this tool.'),
      );
      assert.equal(invoked, 0);
    });

    it('answers an unknown tool, bad input and a failing tool with error results', async () => {
      const run = withExternalTools(workspace, offered, {
        confirm: () => Promise.resolve(true),
        invoke: (name) => Promise.reject(new Error(`${name} is down`)),
        maxResultChars: 1_000,
      });
      assert.deepEqual(
        await run('not_offered', {}, signal),
        toolError('There is no tool named "not_offered".'),
      );
      assert.deepEqual(
        await run('search_docs', 'text', signal),
        toolError('Invalid input for search_docs: expected an object.'),
      );
      assert.deepEqual(
        await run('search_docs', {}, signal),
        toolError('search_docs failed: search_docs is down'),
      );
    });
  });
});
