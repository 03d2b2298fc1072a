// The local coordinator over real Unix domain sockets in a temp folder: windows in this process
// (LocalSharedBudget instances, each with its own connection) and in child processes
// (test/support/localCoordinatorProcess.ts). Pacing is checked on a manual clock (the store's
// time); takeover of a killed or hung coordinator runs on real time, with short timeouts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  LocalSharedBudget,
  type LocalSharedBudgetOptions,
} from '../../src/coordination/local/localSharedBudget';
import { MAX_LINE_CHARS } from '../../src/coordination/local/coordinationProtocol';
import { SwitchableSharedBudget } from '../../src/coordination/switchableSharedBudget';
import { createSystemClock, requestCost, type LeaseAnswer, type SharedPoolId } from '../../src/pacer/index';
import { ManualClock } from '../support/manualClock';
import { assertPacingBound } from '../support/submitAndDrain';
import { waitUntil } from '../support/waitUntil';

const POOL: SharedPoolId = { organizationId: 'org-local', modelClass: 'sonnet-4.x' };
const LIMITS = { requests: { perMinute: 60 }, inputTokens: { perMinute: 6_000 } };
const COST = requestCost(100, 0);

let dir: string;
let socketPath: string;
const budgets: LocalSharedBudget[] = [];
const children: ChildProcess[] = [];

async function placed(
  options: Partial<LocalSharedBudgetOptions> & Pick<LocalSharedBudgetOptions, 'clock'>,
): Promise<LocalSharedBudget> {
  const budget = new LocalSharedBudget({ socketPath, timeoutMs: 300, checkMs: 200, ...options });
  budgets.push(budget);
  await waitUntil(() => budget.role, { what: 'the window to be placed', isDone: (r) => r !== 'electing' });
  return budget;
}

function granted(answer: LeaseAnswer): string {
  assert.equal(answer.kind, 'granted', `expected a grant, got ${JSON.stringify(answer)}`);
  return answer.kind === 'granted' ? answer.leaseId : '';
}

/** Sends `lines` on a raw connection and collects what comes back until the coordinator closes it or `count` lines came. */
async function exchange(lines: string[], count: number): Promise<string[]> {
  const socket = connect(socketPath);
  socket.setEncoding('utf8');
  let received = '';
  socket.on('data', (chunk: string) => (received += chunk));
  let isClosed = false;
  socket.on('close', () => (isClosed = true));
  socket.on('error', () => undefined);
  for (const line of lines) socket.write(line);
  await waitUntil(() => isClosed || received.split('\n').length > count, { what: `${count} answers` });
  socket.destroy();
  return received.split('\n').filter((l) => l !== '');
}

function startWindowProcess(): { child: ChildProcess; output: () => string } {
  const script = join(import.meta.dirname, '../support/localCoordinatorProcess.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, socketPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => (output += chunk));
  return { child, output: () => output };
}

describe('the local coordinator over real sockets', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacer-local-'));
    socketPath = join(dir, 'budget.sock');
  });

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(budgets.splice(0).map((b) => b.dispose()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('never lets a coordinator and two clients admit more than capacity + refill × Δt', async () => {
    const clock = new ManualClock();
    const coordinator = await placed({ clock });
    const clients = [await placed({ clock }), await placed({ clock })];
    assert.deepEqual([coordinator.role, ...clients.map((c) => c.role)], ['coordinator', 'client', 'client']);
    const sent: Array<{ atMs: number; input: number; window: number }> = [];
    for (let step = 0; step < 200; step++) {
      const answers = await Promise.all([coordinator, ...clients].map((b) => b.lease(POOL, COST, LIMITS)));
      answers.forEach((answer, window) => {
        if (answer.kind === 'granted') sent.push({ atMs: answer.atMs, input: 100, window });
        else assert.equal(answer.kind, 'wait');
      });
      clock.advance(50);
    }
    assertPacingBound(sent, { requests: 60, input: 6_000 });
    // The burst of 60 and 10 s of refill at 1 a second, shared: 70, not 3 × 70.
    assert.ok(sent.length >= 69 && sent.length <= 70, `${sent.length} grants`);
    assert.deepEqual(new Set(sent.map((s) => s.window)), new Set([0, 1, 2]));
    // The coordinator's own probe of its socket may be connected for a moment as well.
    await waitUntil(() => coordinator.clientCount, { what: 'two clients', isDone: (n) => n === 2 });
  });

  it('answers every hostile line with an error and keeps serving', async () => {
    const clock = new ManualClock();
    await placed({ clock });
    const pool = JSON.stringify(POOL);
    const answers = await exchange(
      [
        'not json\n',
        '[1,2]\n',
        '{"id":-1,"op":"ping"}\n',
        '{"id":2,"op":"drop"}\n',
        `{"id":3,"op":"lease","pool":{"organizationId":"key:k1","modelClass":"sonnet-4.x"},"cost":{},"limits":{}}\n`,
        `{"id":4,"op":"lease","pool":${pool},"cost":{"requests":1,"inputTokens":"9","outputTokens":0,"tokens":0},"limits":{}}\n`,
        `{"id":5,"op":"settle","pool":${pool},"leaseId":"../x","actual":{"requests":0,"inputTokens":0,"outputTokens":0,"tokens":0}}\n`,
        `{"id":6,"op":"sync","pool":${pool},"reading":{"readAtMs":null,"dimensions":{}}}\n`,
        '{"id":7,"op":"ping"}\n',
      ],
      9,
    );
    const parsed = answers.map(
      (a) => JSON.parse(a) as { id: number | null; error?: string; answer?: { kind: string } },
    );
    assert.deepEqual(
      parsed.map((p) => p.id),
      [null, null, null, 2, 3, 4, 5, 6, 7],
    );
    assert.ok(
      parsed.slice(0, 8).every((p) => typeof p.error === 'string'),
      answers.join('\n'),
    );
    assert.equal(parsed[8]?.answer?.kind, 'pong');
    const tooLong = await exchange(['x'.repeat(MAX_LINE_CHARS + 10)], 1);
    assert.deepEqual(
      tooLong.map((l) => JSON.parse(l) as unknown),
      [{ id: null, error: 'line too long' }],
    );
    const client = await placed({ clock });
    granted(await client.lease(POOL, COST, LIMITS));
  });

  it('drops the leases of a client that vanished, at their TTL', async () => {
    const clock = new ManualClock();
    const coordinator = await placed({ clock, leaseTtlMs: 5_000 });
    const client = await placed({ clock });
    const kept = granted(await client.lease(POOL, COST, LIMITS));
    const lost = granted(await client.lease(POOL, COST, LIMITS));
    assert.deepEqual(await client.settle(POOL, kept, COST), { kind: 'done' });
    await client.dispose();
    clock.advance(5_000);
    assert.deepEqual(await coordinator.settle(POOL, lost, COST), { kind: 'unknown' });
  });

  it('answers down when the coordinator hangs, and takes its place', async () => {
    // A coordinator that answers the first ping, then nothing.
    let pings = 0;
    const hung: Server = createServer((socket) =>
      socket.on('data', () => {
        if (pings++ === 0) socket.write('{"id":1,"answer":{"kind":"pong","coordinatorId":"hung"}}\n');
      }),
    );
    await new Promise<void>((resolve) => hung.listen(socketPath, resolve));
    try {
      const window = await placed({ clock: createSystemClock() });
      assert.equal(window.role, 'client');
      assert.deepEqual(await window.lease(POOL, COST, LIMITS), { kind: 'down' });
      await waitUntil(() => window.role, { what: 'the takeover', isDone: (r) => r === 'coordinator' });
      granted(await window.lease(POOL, COST, LIMITS));
    } finally {
      hung.close();
    }
  });

  it('elects a new coordinator among the windows left when its process is killed', async () => {
    const first = startWindowProcess();
    await waitUntil(first.output, {
      what: 'the first process to coordinate',
      isDone: (o) => o.includes('role coordinator'),
      timeoutMs: 20_000,
    });
    const second = startWindowProcess();
    await waitUntil(second.output, {
      what: 'the second process to join',
      isDone: (o) => o.includes('role client'),
      timeoutMs: 20_000,
    });
    const window = await placed({ clock: createSystemClock() });
    assert.equal(window.role, 'client');
    const before = granted(await window.lease(POOL, COST, LIMITS));
    // SIGKILL: the socket file stays behind, stale; the next bind must clear it.
    first.child.kill('SIGKILL');
    await waitUntil(() => window.role, {
      what: 'a new election',
      isDone: (r) => r !== 'electing' && r !== undefined,
      timeoutMs: 5_000,
    });
    await waitUntil(async () => (await window.lease(POOL, COST, LIMITS)).kind, {
      what: 'leasing to resume here',
      isDone: (k) => k === 'granted',
    });
    const askSecond = async (): Promise<string> => {
      const seen = second.output().length;
      second.child.stdin?.write('lease\n');
      return (
        (await waitUntil(
          () =>
            second
              .output()
              .slice(seen)
              .match(/answer (.*)\n/)?.[1],
          { what: 'the second process to answer' },
        )) ?? ''
      );
    };
    await waitUntil(askSecond, {
      what: 'leasing to resume in the other process',
      isDone: (a) => a.includes('granted'),
    });
    // The new coordinator started fresh: the dead one's leases are gone.
    assert.deepEqual(await window.settle(POOL, before, COST), { kind: 'unknown' });
  });

  it('is what a window without a Redis URL uses by default: two windows share one budget', async () => {
    const saved = process.env['TMPDIR'];
    // coordinatorSocketPath() puts the user's folder under os.tmpdir(): here, this test's folder.
    process.env['TMPDIR'] = dir;
    const windows = [
      new SwitchableSharedBudget(() => undefined),
      new SwitchableSharedBudget(() => undefined),
    ];
    try {
      for (const window of windows) {
        window.shareAcrossWindows(true);
        window.use('');
        assert.equal(window.place.kind, 'windows');
        await waitUntil(() => window.health, { what: 'the window to join', isDone: (h) => h === 'up' });
      }
      assert.deepEqual(windows[0]!.place, { kind: 'windows', role: 'coordinator', windowCount: 2 });
      assert.deepEqual(windows[1]!.place, { kind: 'windows', role: 'client', windowCount: 2 });
      const tight = { requests: { perMinute: 1 } };
      granted(await windows[0]!.lease(POOL, COST, tight));
      assert.equal(
        (await windows[1]!.lease(POOL, COST, tight)).kind,
        'wait',
        "the second window sees the first one's lease",
      );
    } finally {
      for (const window of windows) window.dispose();
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });
});
