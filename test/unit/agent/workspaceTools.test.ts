import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WORKSPACE_TOOLS, TOOL_NAMES } from '../../../src/agent/model/agentTools';
import { isPreapproved } from '../../../src/agent/model/commandTool';
import { runTool } from '../../../src/agent/model/runTool';
import { MemoryWorkspace, ROOT, toolContext } from './memoryWorkspace';

const GREET = 'export function greet(name: string) {\n  return `Hello ${name}`;\n}\n';

function workspace(): MemoryWorkspace {
  return new MemoryWorkspace(
    {
      'src/a.ts': GREET,
      'src/b.ts': "import { greet } from './a';\ngreet('x');\n",
      '.env': 'TOKEN=abc',
      '/work/outside.txt': 'greet outside',
    },
    { 'src/out.ts': '/work/outside.txt' },
  );
}

void describe('workspace tools: definitions', () => {
  void it('every defined tool has an executor, a unique name and an object schema', async () => {
    const names = WORKSPACE_TOOLS.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(new Set(names), new Set(Object.values(TOOL_NAMES)));
    for (const tool of WORKSPACE_TOOLS) {
      assert.equal(tool.input_schema.type, 'object');
      const result = await runTool(tool.name, { unexpected: true }, toolContext(workspace()));
      assert.equal(result.isError, true);
      assert.match(result.content, /^Invalid input for \w+: Unknown field "unexpected"/, tool.name);
    }
  });
});

void describe('workspace tools: reading', () => {
  void it('list_files lists matches, leaving out secrets', async () => {
    const result = await runTool('list_files', { glob: '**/*' }, toolContext(workspace()));
    assert.equal(result.isError, false);
    assert.deepEqual(result.content.split('\n'), ['src/a.ts', 'src/b.ts', 'src/out.ts']);
    assert.match(
      (await runTool('list_files', { glob: '../*' }, toolContext(workspace()))).content,
      /without "\.\."/,
    );
    assert.equal(
      (await runTool('list_files', { glob: 'none/*' }, toolContext(workspace()))).content,
      'No files match none/*.',
    );
  });

  void it('read_file numbers lines, reads a range, and says where a cut result goes on', async () => {
    const ctx = toolContext(workspace());
    const whole = await runTool('read_file', { path: 'src/a.ts' }, ctx);
    assert.equal(
      whole.content,
      'src/a.ts (lines 1-3 of 3)\n1: export function greet(name: string) {\n2:   return `Hello ${name}`;\n3: }',
    );
    const range = await runTool('read_file', { path: 'src/a.ts', startLine: 2, endLine: 2 }, ctx);
    assert.equal(range.content, 'src/a.ts (lines 2-2 of 3)\n2:   return `Hello ${name}`;');
    const big = new MemoryWorkspace({
      'big.txt': Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n'),
    });
    const cut = await runTool(
      'read_file',
      { path: 'big.txt' },
      toolContext(big, { limits: { maxResultChars: 200, maxFileBytes: 1e6 } }),
    );
    assert.ok(cut.content.length <= 200 + 60, String(cut.content.length));
    const next = /read on with startLine (\d+)/.exec(cut.content)?.[1];
    assert.ok(next !== undefined && cut.content.includes(`${Number(next) - 1}: line ${Number(next) - 1}`));
  });

  void it('read_file refuses what it must not or cannot show, as error results', async () => {
    const ws = workspace();
    ws.files.set(`${ROOT}/bin.dat`, 'ab\0cd');
    const ctx = toolContext(ws, { limits: { maxResultChars: 20_000, maxFileBytes: 100 } });
    const error = async (input: unknown): Promise<string> => {
      const result = await runTool('read_file', input, ctx);
      assert.equal(result.isError, true, JSON.stringify(input));
      return result.content;
    };
    assert.match(await error({ path: '../outside.txt' }), /contains "\.\."/);
    assert.match(await error({ path: 'src/out.ts' }), /leads outside the workspace/);
    assert.match(await error({ path: '.env' }), /secrets file/);
    assert.match(await error({ path: 'src' }), /is a folder/);
    assert.match(await error({ path: 'nope.ts' }), /does not exist/);
    assert.match(await error({ path: 'bin.dat' }), /binary/);
    assert.match(await error({ path: 'src/a.ts', startLine: 9 }), /past its end/);
    assert.match(await error({ path: 'src/a.ts', startLine: 2, endLine: 1 }), /must not be before/);
    assert.match(await error({ path: 'src/a.ts', startLine: 0 }), /whole number from 1/);
    assert.match(await error({}), /non-empty string/);
    assert.match(await error('src/a.ts'), /must be a JSON object/);
    ws.files.set(`${ROOT}/large.txt`, 'x'.repeat(101));
    assert.match(await error({ path: 'large.txt' }), /more than the 100 a tool may read/);
    assert.ok(ws.reads.every((p) => p.startsWith(`${ROOT}/`) && !p.endsWith('.env')));
  });

  void it('search_text shows matches only from files the guard allows', async () => {
    const result = await runTool('search_text', { query: 'greet' }, toolContext(workspace()));
    assert.deepEqual(result.content.split('\n'), [
      'src/a.ts:1: export function greet(name: string) {',
      "src/b.ts:1: import { greet } from './a';",
      "src/b.ts:2: greet('x');",
    ]);
    const secret = await runTool('search_text', { query: 'TOKEN' }, toolContext(workspace()));
    assert.equal(secret.content, 'No matches for "TOKEN".');
    const bad = await runTool('search_text', { query: '(', isRegex: true }, toolContext(workspace()));
    assert.match(bad.content, /not a valid regular expression/);
  });

  void it('get_diagnostics lists problems of a file or of all files, never of secrets', async () => {
    const ws = workspace();
    ws.diagnosticsList.push(
      {
        absolutePath: `${ROOT}/src/b.ts`,
        line: 2,
        severity: 'error',
        message: 'greet is not defined',
        source: 'ts',
      },
      { absolutePath: `${ROOT}/.env`, line: 1, severity: 'warning', message: 'TOKEN=abc' },
    );
    assert.equal(
      (await runTool('get_diagnostics', {}, toolContext(ws))).content,
      'src/b.ts:2: error: greet is not defined (ts)',
    );
    assert.equal(
      (await runTool('get_diagnostics', { path: 'src/a.ts' }, toolContext(ws))).content,
      'No problems reported.',
    );
  });

  void it('a failing port and an unknown tool become error results, never throws', async () => {
    const ws = workspace();
    ws.failNext = 'EACCES: permission denied';
    const failed = await runTool('list_files', { glob: '*' }, toolContext(ws));
    assert.deepEqual(failed, { isError: true, content: 'list_files failed: EACCES: permission denied' });
    assert.deepEqual(await runTool('format_disk', {}, toolContext(ws)), {
      isError: true,
      content: 'There is no tool named "format_disk".',
    });
    assert.equal((await runTool('toString', {}, toolContext(ws))).isError, true);
  });
});

void describe('workspace tools: proposed edits', () => {
  void it('gather into the change set, compose per file, and write nothing', async () => {
    const ws = workspace();
    const ctx = toolContext(ws);
    const replace = await runTool(
      'replace_lines',
      { path: 'src/a.ts', startLine: 1, endLine: 1, newText: 'export function welcome(name: string) {' },
      ctx,
    );
    assert.equal(replace.isError, false, replace.content);
    assert.match(replace.content, /^Replace lines 1-1 of src\/a\.ts\. Proposed/);
    await runTool('replace_lines', { path: 'src/a.ts', startLine: 4, endLine: 3, newText: '// end' }, ctx);
    await runTool('create_file', { path: 'src/c.ts', content: 'new\n' }, ctx);
    await runTool('delete_file', { path: 'src/b.ts' }, ctx);
    assert.deepEqual(ctx.changes.files, [
      {
        path: 'src/a.ts',
        originalText: GREET,
        proposedText: 'export function welcome(name: string) {\n  return `Hello ${name}`;\n}\n// end\n',
      },
      { path: 'src/c.ts', originalText: undefined, proposedText: 'new\n' },
      {
        path: 'src/b.ts',
        originalText: "import { greet } from './a';\ngreet('x');\n",
        proposedText: undefined,
      },
    ]);
    assert.equal(ws.files.get(`${ROOT}/src/a.ts`), GREET);
    assert.equal(ws.files.has(`${ROOT}/src/c.ts`), false);
    const read = await runTool('read_file', { path: 'src/a.ts', startLine: 1, endLine: 1 }, ctx);
    assert.match(read.content, /1: export function welcome/);
    assert.match(
      (await runTool('read_file', { path: 'src/b.ts' }, ctx)).content,
      /deleted by your proposals/,
    );
  });

  void it('refuses edits out of range, over existing files, of missing files and outside the workspace', async () => {
    const ctx = toolContext(workspace());
    const error = async (name: string, input: unknown): Promise<string> => {
      const result = await runTool(name, input, ctx);
      assert.equal(result.isError, true, `${name} ${JSON.stringify(input)}`);
      return result.content;
    };
    assert.match(
      await error('replace_lines', { path: 'src/a.ts', startLine: 7, endLine: 8, newText: '' }),
      /not in src\/a\.ts, which has 3 lines/,
    );
    assert.match(
      await error('replace_lines', { path: 'src/a.ts', startLine: 1, newText: '' }),
      /are required/,
    );
    assert.match(await error('create_file', { path: 'src/a.ts', content: '' }), /already exists/);
    assert.match(
      await error('replace_lines', { path: 'src/z.ts', startLine: 1, endLine: 1, newText: '' }),
      /does not exist; use create_file/,
    );
    assert.match(await error('delete_file', { path: 'src/z.ts' }), /does not exist/);
    assert.match(await error('create_file', { path: '../x.ts', content: 'x' }), /contains "\.\."/);
    assert.match(await error('create_file', { path: '.env.local', content: 'x' }), /secrets file/);
    assert.deepEqual(ctx.changes.files, []);
  });

  void it('a file edited back to its original text leaves the change set', async () => {
    const ctx = toolContext(workspace());
    await runTool('create_file', { path: 'tmp.txt', content: 'x' }, ctx);
    await runTool('delete_file', { path: 'tmp.txt' }, ctx);
    assert.deepEqual(ctx.changes.files, []);
  });
});

void describe('workspace tools: run_command', () => {
  void it('asks the command port (pre-approved only by a covering prefix) and caps the output, keeping its end', async () => {
    const ctx = toolContext(workspace(), { limits: { maxResultChars: 300, maxFileBytes: 1e6 } });
    ctx.commands.answer = { kind: 'ran', exitCode: 1, output: `${'x'.repeat(1000)}\nFAILED: 2 tests` };
    const result = await runTool('run_command', { command: 'npm test', cwd: 'src' }, ctx);
    assert.equal(result.isError, true);
    assert.match(result.content, /^Exit code 1\.\n\[first \d+ characters left out\]/);
    assert.ok(result.content.endsWith('FAILED: 2 tests') && result.content.length < 320);
    assert.deepEqual(ctx.commands.calls, [{ command: 'npm test', cwd: `${ROOT}/src`, preapproved: true }]);
    ctx.commands.answer = { kind: 'declined' };
    assert.deepEqual(await runTool('run_command', { command: 'rm -rf /' }, ctx), {
      isError: true,
      content: 'The user declined to run this command.',
    });
    assert.equal(ctx.commands.calls[1]?.preapproved, false);
    assert.match(
      (await runTool('run_command', { command: 'ls', cwd: '../..' }, ctx)).content,
      /contains "\.\."/,
    );
    assert.equal(ctx.commands.calls.length, 2);
  });

  void it('a prefix covers only the command itself and its arguments, never a chained one', () => {
    const prefixes = ['npm test', 'git status'];
    assert.equal(isPreapproved('npm test', prefixes), true);
    assert.equal(isPreapproved('  npm test -- --grep x ', prefixes), true);
    for (const command of [
      'npm testx',
      'npm test; rm -rf ~',
      'npm test && curl evil',
      'npm test | sh',
      'npm test $(whoami)',
      'npm test `id`',
      'npm test > /etc/x',
      'npm test\nrm x',
      'npm',
      'npx test',
    ])
      assert.equal(isPreapproved(command, prefixes), false, command);
    assert.equal(isPreapproved('anything', ['', '  ']), false);
  });
});
