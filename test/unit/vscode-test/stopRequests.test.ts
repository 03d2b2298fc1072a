import * as assert from 'node:assert/strict';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { type Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { waitUntil } from '../../support/waitUntil';

const ROOT = resolve(__dirname, '..', '..', '..');
/** From the stop request to every process gone: the simulator closes at once, npm exits after its child. */
const STOP_BOUND_MS = 8_000;
const START_TIMEOUT_MS = 30_000;

interface Started {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** The process group of the spawned command (npm and what it runs), from `detached: true`. */
  readonly pgid: number;
  readonly output: () => string;
}

const started: Started[] = [];

function start(command: string, args: readonly string[]): Started {
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const run = { child, pgid: child.pid!, output: () => output };
  started.push(run);
  return run;
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when something can listen on the port again: whoever held it has let go. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

async function printed(run: Started, pattern: RegExp): Promise<RegExpExecArray> {
  return waitUntil(() => pattern.exec(run.output()), {
    what: `${pattern} in the output`,
    timeoutMs: START_TIMEOUT_MS,
    intervalMs: 20,
  });
}

async function assertAllGone(run: Started, groups: readonly number[], port: number): Promise<void> {
  const askedAt = performance.now();
  await waitUntil(() => groups.every((pgid) => !isGroupAlive(pgid)), {
    what: `process groups ${groups.join(', ')} to be gone; output:\n${run.output()}`,
    timeoutMs: STOP_BOUND_MS,
    intervalMs: 20,
  });
  const tookMs = performance.now() - askedAt;
  assert.ok(tookMs < STOP_BOUND_MS, `took ${Math.round(tookMs)} ms`);
  assert.equal(await isPortFree(port), true, `port ${port} still held`);
}

after(() => {
  for (const run of started) {
    try {
      process.kill(-run.pgid, 'SIGKILL');
    } catch {
      // stopped, as it should
    }
  }
});

describe('npm start -- --sim-only stops and frees the simulator port', { concurrency: true }, () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`on ${signal} sent to npm`, async () => {
      const run = start('npm', ['start', '--', '--sim-only']);
      const [, port] = await printed(run, /Simulator: http:\/\/127\.0\.0\.1:(\d+)/);
      process.kill(run.pgid, signal);
      await assertAllGone(run, [run.pgid], Number(port));
    });
  }

  it('on SIGTERM after its output pipes closed (the hang of issue 16)', async () => {
    const run = start('npm', ['start', '--', '--sim-only']);
    const [, port] = await printed(run, /Simulator: http:\/\/127\.0\.0\.1:(\d+)/);
    run.child.stdout.destroy();
    run.child.stderr.destroy();
    process.kill(run.pgid, 'SIGTERM');
    await assertAllGone(run, [run.pgid], Number(port));
  });
});

describe('a runScript script stops its process group and port', { concurrency: true }, () => {
  const fixture = join(__dirname, 'fixtures', 'holdsGroupAndPort.ts');

  it('when its stdout pipe closes (EPIPE), with no signal', async () => {
    const run = start(process.execPath, ['--import', 'tsx', fixture]);
    const [, port, pgid] = await printed(run, /port (\d+) pgid (\d+)/);
    run.child.stdout.destroy();
    await assertAllGone(run, [run.pgid, Number(pgid)], Number(port));
    assert.match(run.output(), /stdout closed: stopping/);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`on ${signal}`, async () => {
      const run = start(process.execPath, ['--import', 'tsx', fixture]);
      const [, port, pgid] = await printed(run, /port (\d+) pgid (\d+)/);
      process.kill(run.pgid, signal);
      await assertAllGone(run, [run.pgid, Number(pgid)], Number(port));
    });
  }
});
