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

/** Diagnostic: our scheduler with only `maxRequestsInFlight` raised from 8 to 16. */
export const OURS_16: Strategy = oursWith({ maxRequestsInFlight: 16 }, 'ours-16');

/** Every strategy the command line accepts, by name. */
export function strategyNamed(name: string): Strategy | undefined {
  return [...STRATEGIES, OURS_16].find((s) => s.name === name);
}
