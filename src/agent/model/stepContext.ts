import type { SchedulerSnapshot } from '../../pacer/index';

/** Input tokens of the context window the agent assumes for Claude models (the API's standard 200K). */
export const DEFAULT_CONTEXT_WINDOW = 200_000;

/**
 * The most input tokens one step may carry: the model's context less the reply's room, or less
 * when every known input-token bucket of the model's class (any key may send the step) is smaller (such a step could never be
 * sent: the scheduler would fail it as never fitting). Unknown limits do not lower it.
 */
export function stepContextTokens(
  snapshot: SchedulerSnapshot,
  modelClass: string,
  maxOutputTokens: number,
  contextWindow = DEFAULT_CONTEXT_WINDOW,
): number {
  const capacities = snapshot.pools
    .filter((pool) => pool.modelClass === modelClass && pool.dimensions.inputTokens.limit !== undefined)
    // A workspace's total-token limit takes input too, so its bucket can be the smaller one.
    .map(({ dimensions: { inputTokens, tokens } }) =>
      tokens.limit === undefined ? inputTokens.capacity : Math.min(inputTokens.capacity, tokens.capacity),
    );
  const window = Math.max(1, contextWindow - maxOutputTokens);
  return capacities.length === 0 ? window : Math.min(window, Math.max(...capacities));
}
