import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { key, setup } from './schedulerHarness';
import { failure, flush, headers, success, usage } from './scriptedTransport';

const MODEL = 'claude-sonnet-4-6';

/** A 429 on requests per minute from `organizationId`, retry after 20 s. */
function requestLimit429(organizationId: string) {
  return failure(
    { kind: 'rate_limited', status: 429, message: 'rate limit of requests per minute', midStream: false },
    headers({ 'retry-after': '20', 'anthropic-organization-id': organizationId }),
  );
}

describe('Scheduler: where the next request of a model would go (snapshot(model).next)', () => {
  it('is the key the next submit uses, without creating a pool', async () => {
    const { scheduler, submit, transport } = setup({}, [key('ka'), key('kb')]);
    assert.deepEqual(scheduler.snapshot(MODEL).next, {
      model: MODEL,
      modelClass: 'sonnet-4.x',
      keyId: 'ka',
      keyLabel: 'label ka',
      waitMs: 0,
    });
    assert.equal(scheduler.snapshot(MODEL).pools.length, 0);
    submit('command', 10);
    assert.equal(transport.nth(0).attempt.keyId, 'ka');
    transport.nth(0).answer(success('ok', usage(10, 1), headers({ 'anthropic-organization-id': 'org-a' })));
    await flush();
    const next = scheduler.snapshot(MODEL).next;
    assert.equal(next?.keyId, 'kb', 'least recently used');
    submit('command', 10);
    assert.equal(transport.nth(1).attempt.keyId, next?.keyId);
  });

  it('moves to the other organization while one cools down after a 429', async () => {
    const { scheduler, submit, transport } = setup({}, [key('ka'), key('kb')]);
    submit('command', 10);
    submit('command', 10);
    transport.nth(0).answer(success('ok', usage(10, 1), headers({ 'anthropic-organization-id': 'org-a' })));
    transport.nth(1).answer(requestLimit429('org-b'));
    await flush();
    // kb's organization cools down: the retried request and the next one go to ka.
    const next = scheduler.snapshot(MODEL).next;
    assert.equal(next?.keyId, 'ka');
    assert.equal(next?.poolId, 'org-a|sonnet-4.x');
    assert.equal(scheduler.snapshot('claude-haiku-4-5').next?.poolId, undefined, 'no haiku pool yet');
  });

  it('says how long a next request would wait while the only organization cools down', async () => {
    const { scheduler, submit, transport, clock } = setup({}, [key('ka')]);
    submit('command', 10);
    transport.nth(0).answer(requestLimit429('org-a'));
    await flush();
    assert.equal(scheduler.snapshot(MODEL).next?.waitMs, 20_000);
    clock.advance(5_000);
    assert.equal(scheduler.snapshot(MODEL).next?.waitMs, 15_000);
  });
});
