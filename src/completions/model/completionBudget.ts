import type { Clock } from '../../pacer/index';
import { localDay, nextLocalMidnight } from '../../usage/model/usageLedger';

/** Minutes to add to local time to get UTC at an instant, as `Date#getTimezoneOffset` gives them. */
export type TimezoneOffset = (ms: number) => number;

/** The machine's own time zone. */
export const systemTimezoneOffset: TimezoneOffset = (ms) => new Date(ms).getTimezoneOffset();

/**
 * Inline completions' own daily token budget, apart from the keys' budgets: reached when what
 * completions spent on today's local day (from the usage ledger, so it survives a reload) is at
 * least the budget; a new local day starts from nothing.
 */
export class CompletionBudget {
  readonly #clock: Clock;
  readonly #spentOn: (day: string) => number;
  readonly #offset: TimezoneOffset;

  /** `spentOn(day)`: input + output tokens completions spent on a local day (`YYYY-MM-DD`). */
  constructor(clock: Clock, spentOn: (day: string) => number, offset: TimezoneOffset = systemTimezoneOffset) {
    this.#clock = clock;
    this.#spentOn = spentOn;
    this.#offset = offset;
  }

  /** Tokens completions spent today so far. */
  spentToday(): number {
    const now = this.#clock.now();
    return this.#spentOn(localDay(now, this.#offset(now)));
  }

  /** When `tokensPerDay` (0 = no budget) is spent today: the next local midnight, when completions resume; else undefined. */
  reachedUntilMs(tokensPerDay: number): number | undefined {
    if (!(tokensPerDay > 0) || this.spentToday() < tokensPerDay) return undefined;
    const now = this.#clock.now();
    return nextLocalMidnight(now, this.#offset(now));
  }
}
