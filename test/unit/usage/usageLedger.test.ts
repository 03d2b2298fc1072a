import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  budgetExceeded,
  lastDays,
  localDay,
  nextLocalMidnight,
  UsageLedger,
} from '../../../src/usage/model/usageLedger';

const KEY = { keyId: 'k1', label: 'work', last4: 'WXYZ' };

describe('UsageLedger', () => {
  it('sums per key and model class over the chosen days', () => {
    const ledger = new UsageLedger();
    ledger.add('2026-11-27', KEY, 'sonnet-4.x', {
      requests: 2,
      inputTokens: 100,
      outputTokens: 10,
      status429: 1,
    });
    ledger.add('2026-11-28', KEY, 'sonnet-4.x', {
      requests: 1,
      inputTokens: 50,
      outputTokens: 5,
      cacheReadTokens: 7,
      waitMs: 1200,
    });
    ledger.add('2026-11-28', KEY, 'opus-4.x', { requests: 1, status529: 2 });
    const today = ledger.summary(['2026-11-28']);
    assert.equal(today.length, 2);
    const week = ledger.summary(['2026-11-27', '2026-11-28']).find((r) => r.modelClass === 'sonnet-4.x')!;
    assert.deepEqual(week.counters, {
      requests: 3,
      inputTokens: 150,
      outputTokens: 15,
      cacheReadTokens: 7,
      status429: 1,
      status529: 0,
      waitMs: 1200,
    });
    assert.equal(week.last4, 'WXYZ');
    assert.deepEqual(ledger.dayTotals('2026-11-28', 'k1'), { requests: 2, tokens: 55 });
  });

  it('round-trips through JSON and drops invalid persisted parts', () => {
    const ledger = new UsageLedger();
    ledger.add('2026-11-28', KEY, 'x', { requests: 1 });
    ledger.addAtLimit('2026-11-28', 5000);
    const restored = new UsageLedger(JSON.parse(JSON.stringify(ledger.toJSON())));
    assert.deepEqual(restored.toJSON(), ledger.toJSON());
    const hostile = new UsageLedger({
      version: 1,
      days: { 'not-a-day': {}, '2026-11-28': { a: { requests: -1 } } },
      atLimitMs: { x: 1 },
      keys: { k: { label: 'l', last4: 'sk-ant-api03-longsecret' } },
    });
    assert.deepEqual(hostile.toJSON(), { version: 1, days: { '2026-11-28': {} }, atLimitMs: {}, keys: {} });
    fc.assert(fc.property(fc.anything(), (raw) => void new UsageLedger(raw).summary(['2026-11-28'])));
  });

  it('counts completions as their own category; rows persisted before categories read as requests', () => {
    const ledger = new UsageLedger({
      version: 1,
      days: {
        '2026-11-28': {
          'k1\u0000haiku-4.x': {
            requests: 2,
            inputTokens: 10,
            outputTokens: 1,
            cacheReadTokens: 0,
            status429: 0,
            status529: 0,
            waitMs: 0,
          },
        },
      },
      atLimitMs: {},
      keys: {},
    });
    ledger.add(
      '2026-11-28',
      KEY,
      'haiku-4.x',
      { requests: 3, inputTokens: 30, outputTokens: 6 },
      'completions',
    );
    const rows = ledger.summary(['2026-11-28']);
    assert.deepEqual(
      rows.map((r) => [r.modelClass, r.category, r.counters.requests]),
      [
        ['haiku-4.x', 'requests', 2],
        ['haiku-4.x', 'completions', 3],
      ],
    );
    assert.deepEqual(ledger.dayTotals('2026-11-28', 'k1'), { requests: 5, tokens: 47 }, 'budgets see both');
    assert.deepEqual(ledger.dayTotals('2026-11-28', 'k1', 'completions'), { requests: 3, tokens: 36 });
    assert.deepEqual(ledger.dayTotals('2026-11-28', 'k1', 'requests'), { requests: 2, tokens: 11 });
    assert.deepEqual(
      ledger.dayTotals('2026-11-28', 'k'),
      { requests: 0, tokens: 0 },
      'another key id prefix',
    );
    const restored = new UsageLedger(JSON.parse(JSON.stringify(ledger.toJSON())));
    assert.deepEqual(restored.summary(['2026-11-28']), rows);
  });

  it('prunes to the kept days', () => {
    const ledger = new UsageLedger();
    ledger.add('2026-11-01', KEY, 'x', { requests: 1 });
    ledger.add('2026-11-28', KEY, 'x', { requests: 1 });
    ledger.prune(lastDays(Date.UTC(2026, 10, 28, 12), 0));
    assert.deepEqual(Object.keys(ledger.toJSON().days), ['2026-11-28']);
  });
});

describe('local days and budgets', () => {
  it('computes local days and the next local midnight from the timezone offset', () => {
    const t = Date.UTC(2026, 10, 28, 23, 30); // 23:30 UTC
    assert.equal(localDay(t, 0), '2026-11-28');
    assert.equal(localDay(t, -60), '2026-11-29', 'UTC+1 is already the next day');
    assert.equal(nextLocalMidnight(t, 0), Date.UTC(2026, 10, 29));
    assert.equal(nextLocalMidnight(t, -60), Date.UTC(2026, 10, 29, 23), 'midnight in UTC+1 is 23:00 UTC');
    assert.deepEqual(lastDays(t, 0, 3), ['2026-11-26', '2026-11-27', '2026-11-28']);
  });

  it('says which budget is exceeded', () => {
    assert.equal(
      budgetExceeded({ requests: 100, tokens: 0 }, { requestsPerDay: 100 }),
      '100 requests per day',
    );
    assert.equal(
      budgetExceeded({ requests: 1, tokens: 2_000_000 }, { tokensPerDay: 1_000_000 }),
      '1,000,000 tokens per day',
    );
    assert.equal(budgetExceeded({ requests: 99, tokens: 0 }, { requestsPerDay: 100 }), undefined);
    assert.equal(budgetExceeded({ requests: 99, tokens: 0 }, undefined), undefined);
  });
});
