import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

interface Run {
  readonly firstLine: Promise<string>;
  readonly exit: Promise<{ code: number | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

// A real process on real time: the only sim test that is not on a ManualClock.
function runCli(args: readonly string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error(`exited before printing: ${stderr}`)));
  });
  // Runs that are expected to fail never read the line; keep their rejection from going unhandled.
  firstLine.catch(() => undefined);
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
  return { firstLine, exit, kill: (signal) => child.kill(signal) };
}

void describe('sim CLI', () => {
  void it('prints the listening line, serves the demo config, and exits 0 on SIGTERM', async () => {
    const run = runCli(['--port', '0']);
    const line = await run.firstLine;
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    assert.ok(match, line);
    assert.notEqual(Number(match[2]), 0);
    const res = await fetch(`${match[1]}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-sim-demo-key-o1k1', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'abcdefgh' }] }),
    });
    assert.deepEqual(await res.json(), { input_tokens: 2 });
    assert.equal(res.headers.get('anthropic-ratelimit-requests-limit'), '100');
    run.kill('SIGTERM');
    assert.deepEqual(await run.exit, { code: 0, stderr: '' });
  });

  void it('exits 2 with one line naming the bad field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const file = join(dir, 'bad.jsonc');
    writeFileSync(
      file,
      '{ // comment\n "organizations": [{ "id": "11111111-1111-4111-8111-111111111111", "limits": { "default": { "requestsPerMinute": 0 } } }] }',
    );
    const { code, stderr } = await runCli(['--config', file]).exit;
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'sim: organizations[0].limits.default.requestsPerMinute must be a positive number\n',
    );
  });

  void it('exits 2 on an unreadable config and on a bad port', async () => {
    const missing = await runCli(['--config', '/nonexistent/sim.json']).exit;
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^sim: cannot read \/nonexistent\/sim\.json: /);
    const badPort = await runCli(['--port', 'eighty']).exit;
    assert.equal(badPort.code, 2);
    assert.equal(badPort.stderr, 'sim: --port needs a number from 0 to 65535\n');
  });
});
