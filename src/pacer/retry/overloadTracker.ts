/** After this long without overloads the primary model is tried again. */
const FALLBACK_RESET_MS = 120_000;

/** Consecutive "overloaded" answers per model, to route to the fallback model after N in a row. */
export class OverloadTracker {
  readonly #overloads = new Map<string, { count: number; lastAtMs: number }>();

  /** Records an overload of `model`. */
  note(model: string, nowMs: number): void {
    const previous = this.#overloads.get(model);
    const count = previous && nowMs - previous.lastAtMs < FALLBACK_RESET_MS ? previous.count + 1 : 1;
    this.#overloads.set(model, { count, lastAtMs: nowMs });
  }

  /** A success: the model is healthy again. */
  clear(model: string): void {
    this.#overloads.delete(model);
  }

  /** The run of recent overloads when it reached `threshold`, else undefined. */
  streakAtLeast(model: string, threshold: number, nowMs: number): number | undefined {
    const overloads = this.#overloads.get(model);
    if (!overloads || overloads.count < threshold || nowMs - overloads.lastAtMs >= FALLBACK_RESET_MS)
      return undefined;
    return overloads.count;
  }
}
