// How many clients share a budget, as the status bar shows it: windows of one machine on the local
// coordinator (real Unix sockets, in this process) and clients of one real redis-server (presence
// heartbeats in Redis time). Real time passes, kept short by short intervals.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LocalSharedBudget } from '../../src/coordination/local/localSharedBudget';
import { RedisSharedBudget } from '../../src/coordination/redis/redisSharedBudget';
import { createSystemClock } from '../../src/pacer/index';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { waitUntil } from '../support/waitUntil';

describe('the windows sharing the local coordinator', () => {
  let dir: string;
  const budgets: LocalSharedBudget[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacer-presence-'));
  });
  afterEach(async () => {
    for (const b of budgets.splice(0)) await b.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const window = (changes: { count: number } = { count: 0 }): LocalSharedBudget => {
    const budget = new LocalSharedBudget({
      socketPath: join(dir, 'budget.sock'),
      clock: createSystemClock(),
      timeoutMs: 300,
      checkMs: 50,
      onChange: () => changes.count++,
    });
    budgets.push(budget);
    return budget;
  };

  it('are counted by the coordinator and by every client, probes left out, and a leaving window too', async () => {
    const changes = { count: 0 };
    const first = window(changes);
    await waitUntil(() => first.role, { what: 'a coordinator', isDone: (r) => r === 'coordinator' });
    assert.equal(first.windowCount, 1);
    assert.ok(changes.count > 0, 'becoming coordinator is a change');
    const second = window();
    const third = window();
    await waitUntil(() => [second.role, third.role].join(), {
      what: 'two clients',
      isDone: (r) => r === 'client,client',
    });
    await waitUntil(() => [first.windowCount, second.windowCount, third.windowCount].join(), {
      what: 'every window to count three',
      isDone: (c) => c === '3,3,3',
    });
    // The coordinator's own probe (every checkMs) connects too: it must never be counted.
    for (let i = 0; i < 20; i++) {
      assert.equal(first.windowCount, 3);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await third.dispose();
    await waitUntil(() => [first.windowCount, second.windowCount].join(), {
      what: 'two windows left',
      isDone: (c) => c === '2,2',
    });
  });
});

describe('the clients sharing one redis-server', () => {
  let server: RedisServer;
  const opened: RedisSharedBudget[] = [];
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    for (const b of opened) b.dispose();
    await server.stop();
  });

  const client = (keyPrefix: string, counts: number[] = []): RedisSharedBudget => {
    const budget = new RedisSharedBudget({
      url: server.url,
      keyPrefix,
      heartbeatMs: 100,
      onClientCount: (count) => counts.push(count),
    });
    opened.push(budget);
    return budget;
  };

  it('counts every client by its heartbeat; one that leaves is dropped at once; a restart is re-joined', async () => {
    const counts: number[] = [];
    const a = client('presence-a', counts);
    const b = client('presence-a');
    const c = client('presence-a');
    await waitUntil(() => [a.sharerCount, b.sharerCount, c.sharerCount].join(), {
      what: 'three clients counted by each',
      isDone: (s) => s === '3,3,3',
    });
    assert.equal(counts.at(-1), 3, 'the listener heard the count');
    b.dispose();
    await waitUntil(() => a.sharerCount, { what: 'b to leave', isDone: (n) => n === 2 });
    // Redis restarted empty: the clients still there say so again at their next heartbeat.
    await server.kill();
    await server.restart();
    await waitUntil(() => [a.sharerCount, c.sharerCount].join(), {
      what: 'the two left to be counted again after Redis came back empty',
      isDone: (s) => s === '2,2',
    });
  });

  it('ages out a client whose heartbeats stop', async () => {
    const a = client('presence-b');
    const gone = client('presence-b');
    await waitUntil(() => a.sharerCount, { what: 'two clients', isDone: (n) => n === 2 });
    // Its heartbeats stop without a goodbye, as when its window's process is killed.
    gone.heartbeat = () => Promise.resolve(undefined);
    await waitUntil(() => a.sharerCount, {
      what: 'the silent client to age out',
      isDone: (n) => n === 1,
      timeoutMs: 3_000,
    });
  });
});
