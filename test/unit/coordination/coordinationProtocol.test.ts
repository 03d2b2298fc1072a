// The local coordinator's wire format: what a request line must hold to reach the store, and which
// answer lines a client takes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequest, parseResponse } from '../../../src/coordination/local/coordinationProtocol';
import { requestCost } from '../../../src/pacer/index';

const POOL = { organizationId: 'org-1', modelClass: 'sonnet-4.x' };

describe('coordination protocol', () => {
  it('reads every request the client sends, unchanged', () => {
    const requests = [
      { id: 1, op: 'lease', pool: POOL, cost: requestCost(10, 5), limits: { requests: { perMinute: 50 } } },
      { id: 2, op: 'settle', pool: POOL, leaseId: '17', actual: requestCost(8, 3) },
      { id: 3, op: 'refund', pool: POOL, leaseId: '17' },
      {
        id: 4,
        op: 'sync',
        pool: POOL,
        reading: {
          readAtMs: 5,
          sourceLeaseId: '17',
          dimensions: { inputTokens: { limit: 9, remaining: 3 } },
        },
      },
      { id: 5, op: 'ping' },
    ];
    for (const request of requests)
      assert.deepEqual(parseRequest(JSON.stringify(request)), { ok: true, request }, request.op);
  });

  it('drops fields it does not know instead of passing them to the store', () => {
    const parsed = parseRequest(
      JSON.stringify({ id: 1, op: 'refund', pool: { ...POOL, apiKey: 'sk-ant-x' }, leaseId: '2', extra: 1 }),
    );
    assert.deepEqual(parsed, { ok: true, request: { id: 1, op: 'refund', pool: POOL, leaseId: '2' } });
  });

  it('refuses a request with a bad field, naming the field but not echoing its value', () => {
    const cases: Array<[unknown, string]> = [
      [
        { id: 1, op: 'lease', pool: POOL, cost: { ...requestCost(1, 0), tokens: -1 }, limits: {} },
        'cost.tokens',
      ],
      [
        { id: 1, op: 'lease', pool: POOL, cost: requestCost(1, 0), limits: { requests: 5 } },
        'limits.requests',
      ],
      [{ id: 1, op: 'settle', pool: POOL, leaseId: 'sk-ant-secret', actual: requestCost(1, 0) }, 'leaseId'],
      [{ id: 1, op: 'refund', pool: { organizationId: 'key:abc', modelClass: 'x' }, leaseId: '1' }, 'pool'],
      [
        {
          id: 1,
          op: 'sync',
          pool: POOL,
          reading: { readAtMs: 1, dimensions: { tokens: { remaining: 'all' } } },
        },
        'reading.dimensions.tokens.remaining',
      ],
    ];
    for (const [request, field] of cases) {
      const parsed = parseRequest(JSON.stringify(request));
      assert.equal(parsed.ok, false, field);
      if (parsed.ok) continue;
      assert.equal(parsed.id, 1);
      assert.ok(parsed.error.includes(field), `${parsed.error} names ${field}`);
      assert.ok(!parsed.error.includes('sk-ant'), parsed.error);
    }
  });

  it('takes only well-formed answers', () => {
    assert.deepEqual(parseResponse('{"id":3,"answer":{"kind":"granted","leaseId":"9","atMs":1}}'), {
      id: 3,
      answer: { kind: 'granted', leaseId: '9', atMs: 1 },
    });
    assert.deepEqual(parseResponse('{"id":null,"error":"not JSON"}'), { id: null, error: 'not JSON' });
    for (const bad of [
      '',
      'nope',
      '{"id":3}',
      '{"id":3,"answer":{"kind":"granted"}}',
      '{"id":"3","answer":{"kind":"done"}}',
      '{"id":3,"answer":{"kind":"wait","waitMs":-1,"atMs":0}}',
    ])
      assert.equal(parseResponse(bad), undefined, bad);
  });
});
