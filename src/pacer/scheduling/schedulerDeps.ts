import type { Clock, RandomSource } from '../clock';
import type { ExactTokenCounter } from './exactTokenCounter';
import type { LearningEstimator } from '../limits/tokenEstimator';
import type { SchedulerOptions } from './schedulerOptions';
import type { SharedBudget } from '../sharing/sharedBudget';
import type { Transport } from '../transport';

/** What the scheduler needs from outside: time, randomness, a way to send. */
export interface SchedulerDeps {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly transport: Transport;
  readonly estimator?: LearningEstimator;
  readonly options?: Partial<SchedulerOptions>;
  /** When set, a request without a given count waits (out of the queue) for an exact count first. */
  readonly exactCounter?: ExactTokenCounter;
  /** A budget shared with other windows or teammates; without one this scheduler paces alone. */
  readonly sharedBudget?: SharedBudget;
}
