// The in-memory store on the manual clock: the protocol the Redis scripts keep (admit-or-wait,
// settle, refund, newest reading wins, unseen leases subtracted), lease TTL and idle pools.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalBudgetStore } from '../../../src/coordination/local/localBudgetStore';
import { requestCost, type Cost, type LeaseAnswer, type SharedPoolId } from '../../../src/pacer/index';
import { ManualClock } from '../../support/manualClock';

const POOL: SharedPoolId = { organizationId: 'org-1', modelClass: 'sonnet-4.x' };
const OTHER: SharedPoolId = { organizationId: 'org-2', modelClass: 'sonnet-4.x' };
/** 600 input tokens a minute: 10 a second, one per 100 ms. */
const LIMITS = { inputTokens: { perMinute: 600 } };

function input(tokens: number): Cost {
  return requestCost(tokens, 0);
}

function granted(answer: LeaseAnswer): string {
  assert.equal(answer.kind, 'granted', `expected a grant, got ${JSON.stringify(answer)}`);
  return answer.kind === 'granted' ? answer.leaseId : '';
}

function waitOf(answer: LeaseAnswer): number {
  assert.equal(answer.kind, 'wait', `expected a wait, got ${JSON.stringify(answer)}`);
  return answer.kind === 'wait' ? answer.waitMs : -1;
}

function setup(options: { leaseTtlMs?: number; idleMs?: number } = {}): {
  clock: ManualClock;
  store: LocalBudgetStore;
} {
  const clock = new ManualClock();
  return { clock, store: new LocalBudgetStore({ clock, ...options }) };
}

describe('LocalBudgetStore', () => {
  it('grants up to the burst, then says how long until the cost fits', async () => {
    const { clock, store } = setup();
    granted(await store.lease(POOL, input(400), LIMITS));
    assert.equal(waitOf(await store.lease(POOL, input(300), LIMITS)), 10_000);
    clock.advance(10_000);
    granted(await store.lease(POOL, input(300), LIMITS));
    // Another pool has buckets of its own.
    granted(await store.lease(OTHER, input(600), LIMITS));
  });

  it('lets a cost above the burst go once the bucket is full', async () => {
    const { store } = setup();
    granted(await store.lease(POOL, input(900), LIMITS));
    // 300 below zero: 301 tokens at 10 a second.
    assert.equal(waitOf(await store.lease(POOL, input(1), LIMITS)), 30_100);
  });

  it('settles the difference back, takes usage beyond the lease, and refunds all of it', async () => {
    const { store } = setup();
    const a = granted(await store.lease(POOL, input(500), LIMITS));
    assert.deepEqual(await store.settle(POOL, a, input(200)), { kind: 'done' });
    granted(await store.lease(POOL, input(400), LIMITS));
    const b = granted(await store.lease(POOL, input(0), LIMITS));
    assert.deepEqual(await store.settle(POOL, b, input(100)), { kind: 'done' });
    // 100 back from the first, 100 more taken by the second: 100 below zero.
    assert.equal(waitOf(await store.lease(POOL, input(1), LIMITS)), 10_100);
    const { store: fresh } = setup();
    const c = granted(await fresh.lease(POOL, input(600), LIMITS));
    assert.deepEqual(await fresh.refund(POOL, c), { kind: 'done' });
    granted(await fresh.lease(POOL, input(600), LIMITS));
  });

  it('answers unknown for a lease closed already, never issued, or malformed', async () => {
    const { store } = setup();
    const a = granted(await store.lease(POOL, input(10), LIMITS));
    await store.refund(POOL, a);
    assert.deepEqual(await store.refund(POOL, a), { kind: 'unknown' });
    assert.deepEqual(await store.settle(POOL, '99', input(1)), { kind: 'unknown' });
    assert.deepEqual(await store.settle(POOL, 'x; DROP', input(1)), { kind: 'unknown' });
  });

  it('refuses a pool named after a key and a cost that is not a count', async () => {
    const { store } = setup();
    await assert.rejects(
      async () => store.lease({ organizationId: 'key:abc', modelClass: 'sonnet-4.x' }, input(1), LIMITS),
      TypeError,
    );
    await assert.rejects(async () => store.lease(POOL, input(Number.NaN), LIMITS), TypeError);
  });

  it('takes a header reading as the truth, less the leases granted after its source', async () => {
    const { store } = setup();
    const first = granted(await store.lease(POOL, input(100), LIMITS));
    granted(await store.lease(POOL, input(100), LIMITS));
    const applied = await store.syncHeaders(POOL, {
      readAtMs: 1_000,
      sourceLeaseId: first,
      dimensions: { inputTokens: { limit: 600, remaining: 300 } },
    });
    assert.deepEqual(applied, { kind: 'applied' });
    // 300 remaining at the server, less the second lease it had not seen: 200 left.
    granted(await store.lease(POOL, input(200), LIMITS));
    assert.equal(waitOf(await store.lease(POOL, input(1), LIMITS)), 100);
  });

  it('keeps the newest reading by server time, and on a tie the later lease', async () => {
    const { store } = setup();
    const reading = (readAtMs: number, remaining: number, sourceLeaseId?: string) => ({
      readAtMs,
      ...(sourceLeaseId ? { sourceLeaseId } : {}),
      dimensions: { inputTokens: { limit: 600, remaining } },
    });
    assert.equal((await store.syncHeaders(POOL, reading(2_000, 300, '5'))).kind, 'applied');
    assert.equal((await store.syncHeaders(POOL, reading(1_000, 0))).kind, 'stale');
    assert.equal((await store.syncHeaders(POOL, reading(2_000, 0, '4'))).kind, 'stale');
    granted(await store.lease(POOL, input(300), LIMITS));
    assert.ok(waitOf(await store.lease(POOL, input(100), LIMITS)) > 0);
    assert.equal((await store.syncHeaders(POOL, reading(2_000, 0, '6'))).kind, 'applied');
  });

  it('never lets a reading set a level above its own accounting: the reading may predate leases settled since', async () => {
    const { store } = setup();
    const first = granted(await store.lease(POOL, input(100), LIMITS));
    const later = granted(await store.lease(POOL, input(100), LIMITS));
    await store.settle(POOL, later, input(100));
    // The server answered `first` before `later` reached it: 500 remaining then, 400 in truth now.
    const reading = {
      readAtMs: 1_000,
      sourceLeaseId: first,
      dimensions: { inputTokens: { remaining: 500 } },
    };
    assert.deepEqual(await store.syncHeaders(POOL, reading), { kind: 'applied' });
    granted(await store.lease(POOL, input(400), LIMITS));
    assert.equal(waitOf(await store.lease(POOL, input(1), LIMITS)), 100, 'still 400 taken, not 500 left');
  });

  it('lets a later reading raise a level that an earlier one lowered, up to its own accounting', async () => {
    const { store } = setup();
    const first = granted(await store.lease(POOL, input(100), LIMITS));
    const second = granted(await store.lease(POOL, input(100), LIMITS));
    // The server had seen `second` already when it answered `first`: it is subtracted twice (300 left).
    const reading = (readAtMs: number, remaining: number, sourceLeaseId: string) => ({
      readAtMs,
      sourceLeaseId,
      dimensions: { inputTokens: { remaining } },
    });
    await store.syncHeaders(POOL, reading(1_000, 400, first));
    assert.equal(waitOf(await store.lease(POOL, input(400), LIMITS)), 10_000, '100 short: 10 s of refill');
    // The next reading, from `second`, says 400 again: nothing is unseen now, and 400 is what the store's leases leave.
    await store.syncHeaders(POOL, reading(2_000, 400, second));
    granted(await store.lease(POOL, input(400), LIMITS));
  });

  it('lets a header reading reshape the buckets: the server, not a client setting, names the limit', async () => {
    const { store } = setup();
    await store.syncHeaders(POOL, { readAtMs: 1, dimensions: { inputTokens: { limit: 60 } } });
    granted(await store.lease(POOL, input(60), LIMITS));
    assert.equal(waitOf(await store.lease(POOL, input(1), LIMITS)), 1_000);
  });

  it('drops the leases of a vanished client at their TTL, without refund', async () => {
    const { clock, store } = setup({ leaseTtlMs: 5_000 });
    const a = granted(await store.lease(POOL, input(600), LIMITS));
    assert.equal(store.liveLeases(POOL), 1);
    clock.advance(5_000);
    assert.equal(store.liveLeases(POOL), 0);
    assert.deepEqual(await store.settle(POOL, a, input(0)), { kind: 'unknown' });
    // Refill, not the lost lease, brought the tokens back: 5 s of 10 a second.
    granted(await store.lease(POOL, input(50), LIMITS));
    assert.equal(waitOf(await store.lease(POOL, input(1), LIMITS)), 100);
  });

  it('forgets an idle pool, never before its leases expire, and then starts it afresh', async () => {
    const { clock, store } = setup({ leaseTtlMs: 5_000, idleMs: 1_000 });
    granted(await store.lease(POOL, input(600), LIMITS));
    clock.advance(4_999);
    assert.equal(store.poolCount, 1);
    clock.advance(1);
    assert.equal(store.poolCount, 0);
    granted(await store.lease(POOL, input(600), { inputTokens: { perMinute: 600 } }));
  });

  it('numbers a new store’s leases apart from an old one’s, so a late settle finds nothing', async () => {
    const clock = new ManualClock();
    const old = new LocalBudgetStore({ clock, random: () => 0.1 });
    const fresh = new LocalBudgetStore({ clock, random: () => 0.7 });
    const a = granted(await old.lease(POOL, input(10), LIMITS));
    granted(await fresh.lease(POOL, input(10), LIMITS));
    assert.deepEqual(await fresh.settle(POOL, a, input(1)), { kind: 'unknown' });
  });
});
