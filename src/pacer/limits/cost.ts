import { DIMENSIONS, type Dimension } from './dimensions';

/** What a request draws from each bucket; `tokens` is always input + output. */
export type Cost = Record<Dimension, number>;

/** A zero cost. */
export function zeroCost(): Cost {
  return { requests: 0, inputTokens: 0, outputTokens: 0, tokens: 0 };
}

/** The cost of one request with these input and output token counts. */
export function requestCost(inputTokens: number, outputTokens: number): Cost {
  return { requests: 1, inputTokens, outputTokens, tokens: inputTokens + outputTokens };
}

/** A limit a request's cost exceeds outright, with both numbers. */
export interface ExceededLimit {
  readonly dimension: Dimension;
  readonly needed: number;
  readonly limit: number;
}

/**
 * The dimension whose per-minute limit `cost` exceeds outright, so it can never be sent. Output
 * counts only when it is reserved at admission (legacy OTPM); total tokens then count input only.
 */
export function exceededLimit(
  cost: Cost,
  limitOf: (dimension: Dimension) => number | undefined,
  isOutputReserved: boolean,
): ExceededLimit | undefined {
  for (const d of DIMENSIONS) {
    if (d === 'outputTokens' && !isOutputReserved) continue;
    const needed = d === 'tokens' && !isOutputReserved ? cost.inputTokens : cost[d];
    const limit = limitOf(d);
    if (limit !== undefined && needed > limit) return { dimension: d, needed, limit };
  }
  return undefined;
}
