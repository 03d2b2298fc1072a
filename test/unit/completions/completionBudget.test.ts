import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionBudget } from '../../../src/completions/model/completionBudget';
import { ManualClock } from '../../support/manualClock';

// UTC+2 all year (Date#getTimezoneOffset says -120): local midnight is 22:00 UTC.
const UTC_PLUS_2 = (): number => -120;

function budgetWith(spent: Record<string, number>, clock: ManualClock): CompletionBudget {
  return new CompletionBudget(clock, (day) => spent[day] ?? 0, UTC_PLUS_2);
}

describe('CompletionBudget', () => {
  it('is never reached when the budget is 0 (none)', () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 10));
    const budget = budgetWith({ '2026-12-07': 10_000_000 }, clock);
    assert.equal(budget.reachedUntilMs(0), undefined);
  });

  it("is reached once today's completion tokens reach the budget, until the next local midnight", () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 10));
    const spent = { '2026-12-07': 4_999 };
    const budget = budgetWith(spent, clock);
    assert.equal(budget.reachedUntilMs(5_000), undefined, 'one token short');
    spent['2026-12-07'] = 5_000;
    assert.equal(budget.spentToday(), 5_000);
    assert.equal(budget.reachedUntilMs(5_000), Date.UTC(2026, 11, 7, 22), 'local midnight is 22:00 UTC');
    assert.equal(budget.reachedUntilMs(6_000), undefined, 'a larger budget lifts it');
  });

  it('resets at local midnight, not at UTC midnight', () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 21, 59, 59));
    const budget = budgetWith({ '2026-12-07': 8_000 }, clock);
    assert.notEqual(budget.reachedUntilMs(5_000), undefined, 'still the 7th locally');
    clock.advance(1_000);
    assert.equal(budget.spentToday(), 0, 'the 8th locally: a new day');
    assert.equal(budget.reachedUntilMs(5_000), undefined);
  });

  it('counts the local day the instant falls in (early morning local is the previous UTC day)', () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 23)); // 01:00 on the 8th locally
    const budget = budgetWith({ '2026-12-07': 9_000, '2026-12-08': 100 }, clock);
    assert.equal(budget.spentToday(), 100);
    assert.equal(budget.reachedUntilMs(100), Date.UTC(2026, 11, 8, 22));
  });
});
