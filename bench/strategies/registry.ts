import type { Strategy } from '../types';
import { bottleneck } from './bottleneck';
import { bottleneckExact } from './bottleneckExact';
import { guide } from './guide';
import { ours, oursWith } from './ours';
import { pQueue } from './pQueue';
import { sdkDefaults } from './sdkDefaults';

/** The strategies compared, in table order. */
export const STRATEGIES: readonly Strategy[] = [
  ours,
  sdkDefaults,
  pQueue,
  bottleneck,
  bottleneckExact,
  guide,
];

/** Diagnostic: our scheduler with only `maxRequestsInFlight` raised from 32 (the default) to 64 (the most the setting allows). */
export const OURS_64: Strategy = oursWith({ maxRequestsInFlight: 64 }, 'ours-64');

/** Every strategy the command line accepts, by name. */
export function strategyNamed(name: string): Strategy | undefined {
  return [...STRATEGIES, OURS_64].find((s) => s.name === name);
}
