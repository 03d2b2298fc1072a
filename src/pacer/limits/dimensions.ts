/**
 * The limits the Messages API enforces per organization (or Workspace) and model class. `tokens`
 * is the total-tokens limit the `anthropic-ratelimit-tokens-*` headers report ("the most
 * restrictive limit currently in effect", e.g. a Workspace's total tokens per minute); input and
 * output both draw on it.
 */
export type Dimension = 'requests' | 'inputTokens' | 'outputTokens' | 'tokens';

/** All dimensions, in the order the server checks them. */
export const DIMENSIONS: readonly Dimension[] = ['requests', 'inputTokens', 'outputTokens', 'tokens'];

/** Dimension names as the user reads them. */
export const DIMENSION_WORDS: Readonly<Record<Dimension, string>> = {
  requests: 'requests per minute',
  inputTokens: 'input tokens per minute',
  outputTokens: 'output tokens per minute',
  tokens: 'total tokens per minute',
};

/** The `anthropic-ratelimit-<name>-*` header name of each dimension. */
export const DIMENSION_HEADER_NAMES: Readonly<Record<Dimension, string>> = {
  requests: 'requests',
  inputTokens: 'input-tokens',
  outputTokens: 'output-tokens',
  tokens: 'tokens',
};

/** True for the dimensions counted in tokens, whose `remaining` the server rounds to a thousand. */
export function isTokenDimension(dimension: Dimension): boolean {
  return dimension !== 'requests';
}
