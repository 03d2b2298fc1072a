import type { Dimension } from './rateLimitHeaders';

/** What a request draws from each bucket. */
export type Cost = Record<Dimension, number>;

/** A zero cost. */
export function zeroCost(): Cost {
  return { requests: 0, inputTokens: 0, outputTokens: 0 };
}
