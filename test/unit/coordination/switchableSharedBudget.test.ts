import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RedisSharedBudgetOptions } from '../../../src/coordination/redis/redisSharedBudget';
import {
  SwitchableSharedBudget,
  type ClosableSharedBudget,
} from '../../../src/coordination/switchableSharedBudget';
import type { LocalRole } from '../../../src/coordination/local/localSharedBudget';
import { requestCost, type SharedBudgetHealth } from '../../../src/pacer/index';

const POOL = { organizationId: 'org-1', modelClass: 'sonnet-4.x' };

/** A store that grants everything and records how it was opened and closed. */
class FakeStore implements ClosableSharedBudget {
  health: SharedBudgetHealth = 'up';
  isDisposed = false;
  sharerCount = 3;
  role: LocalRole = 'client';
  constructor(readonly options: RedisSharedBudgetOptions) {}
  lease = () => Promise.resolve({ kind: 'granted', leaseId: '7', atMs: 0 } as const);
  settle = () => Promise.resolve({ kind: 'done' } as const);
  refund = () => Promise.resolve({ kind: 'done' } as const);
  syncHeaders = () => Promise.resolve({ kind: 'applied' } as const);
  dispose(): void {
    this.isDisposed = true;
  }
}

function setup() {
  const opened: FakeStore[] = [];
  const windows: FakeStore[] = [];
  const windowChanges: Array<() => void> = [];
  const logs: string[] = [];
  const budget = new SwitchableSharedBudget(
    (message) => logs.push(message),
    (options) => {
      const store = new FakeStore(options);
      opened.push(store);
      return store;
    },
    (_log, onChange) => {
      windowChanges.push(onChange);
      const store = new FakeStore({ url: '' });
      windows.push(store);
      return store;
    },
  );
  return { budget, opened, windows, windowChanges, logs };
}

describe('SwitchableSharedBudget', () => {
  it('reconnects when only the password changes, and never logs it', () => {
    const { budget, opened, logs } = setup();
    budget.use('redis://cache.example');
    budget.use('redis://cache.example', 'hunter2-secret');
    assert.equal(opened.length, 2);
    assert.ok(opened[0]!.isDisposed);
    assert.equal(opened[1]!.options.password, 'hunter2-secret');
    assert.equal(opened[0]!.options.password, undefined);
    budget.use('redis://cache.example', 'hunter2-secret');
    assert.equal(opened.length, 2, 'the same URL and password keep the connection');
    opened[1]!.options.onHealth?.('up');
    assert.ok(logs.length > 0 && logs.every((line) => !line.includes('hunter2')), logs.join('\n'));
  });

  it('without a URL opens nothing and answers down, so the scheduler paces locally', async () => {
    const { budget, opened } = setup();
    budget.use('');
    assert.equal(budget.health, 'down');
    assert.deepEqual(budget.place, { kind: 'local' });
    assert.deepEqual(await budget.lease(POOL, requestCost(1, 1), {}), { kind: 'down' });
    assert.deepEqual(await budget.refund(POOL, '1'), { kind: 'down' });
    assert.equal(opened.length, 0);
  });

  it('follows the setting: opens the store at the URL, passes calls on, and closes it on a change', async () => {
    const { budget, opened, logs } = setup();
    budget.use('redis://team@cache.example:6380/1');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.options.url, 'redis://team@cache.example:6380/1');
    assert.deepEqual(budget.place, { kind: 'redis', host: 'cache.example:6380', isUp: true, clientCount: 3 });
    assert.equal(budget.health, 'up');
    assert.equal((await budget.lease(POOL, requestCost(1, 1), {})).kind, 'granted');
    opened[0]!.options.onHealth?.('down');
    assert.deepEqual(logs, [
      'shared budget at cache.example:6380: connecting (until it answers, this window paces on its own)',
      'shared budget at cache.example:6380: not answering, this window paces on its own until it is back',
    ]);
    budget.use('redis://team@cache.example:6380/1');
    assert.equal(opened.length, 1, 'the same URL keeps the connection');
    budget.use('rediss://other.example');
    assert.ok(opened[0]!.isDisposed, 'the old connection is closed');
    opened[0]!.options.onHealth?.('down');
    assert.equal(logs.length, 3, 'a closed store says nothing more');
    assert.match(logs[2]!, /^shared budget at other\.example: connecting/);
    assert.equal(opened.length, 2);
    budget.dispose();
    assert.ok(opened[1]!.isDisposed);
    assert.equal(budget.health, 'down');
  });

  it('without a URL shares the budget with the windows of this machine while that is allowed', async () => {
    const { budget, opened, windows } = setup();
    budget.shareAcrossWindows(true);
    assert.equal(windows.length, 1);
    assert.deepEqual(budget.place, { kind: 'windows', role: 'client', windowCount: 3 });
    assert.equal((await budget.lease(POOL, requestCost(1, 1), {})).kind, 'granted');
    budget.shareAcrossWindows(true);
    assert.equal(windows.length, 1, 'the same choice keeps the coordinator');
    budget.use('redis://cache.example');
    assert.ok(windows[0]!.isDisposed, 'a Redis URL wins over the windows of this machine');
    assert.equal(opened.length, 1);
    budget.use('');
    assert.ok(opened[0]!.isDisposed);
    assert.equal(windows.length, 2, 'no URL: back to the windows of this machine');
    budget.shareAcrossWindows(false);
    assert.ok(windows[1]!.isDisposed);
    assert.deepEqual(budget.place, { kind: 'local' });
    assert.deepEqual(await budget.lease(POOL, requestCost(1, 1), {}), { kind: 'down' });
  });

  it('tells its listeners when the place changes: a switch, the store going down, another window joining', () => {
    const { budget, opened, windows, windowChanges } = setup();
    let changes = 0;
    const unsubscribe = budget.onDidChangePlace(() => changes++);
    budget.shareAcrossWindows(true);
    assert.ok(changes > 0, 'opening the coordinator is a change');
    const before = changes;
    windows[0]!.sharerCount = 4;
    windowChanges[0]!();
    assert.equal(changes, before + 1);
    assert.deepEqual(budget.place, { kind: 'windows', role: 'client', windowCount: 4 });
    budget.use('redis://user@cache.example:6379');
    const store = opened[0]!;
    store.health = 'down';
    const beforeDown = changes;
    store.options.onHealth?.('down');
    assert.equal(changes, beforeDown + 1);
    assert.deepEqual(budget.place, {
      kind: 'redis',
      host: 'cache.example:6379',
      isUp: false,
      clientCount: 3,
    });
    windowChanges[0]!();
    assert.equal(changes, beforeDown + 1, 'a closed coordinator says nothing more');
    store.options.onClientCount?.(5);
    assert.equal(changes, beforeDown + 2);
    unsubscribe();
    budget.use('');
    assert.equal(changes, beforeDown + 2, 'no calls after unsubscribing');
  });
});
