import type { Dimension } from './dimensions';

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
