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

/** Diagnostic: our scheduler with only `maxRequestsInFlight` raised from 16 (the default) to 32. */
export const OURS_32: Strategy = oursWith({ maxRequestsInFlight: 32 }, 'ours-32');

/** Every strategy the command line accepts, by name. */
export function strategyNamed(name: string): Strategy | undefined {
  return [...STRATEGIES, OURS_32].find((s) => s.name === name);
}
