/** A suggestion that was shown: the text before the cursor it was made for, and the text it offers. */
interface CachedCompletion {
  readonly prefix: string;
  readonly suffix: string;
  readonly text: string;
}

/**
 * Recent completions keyed by the text before the cursor (least recently used dropped first). A
 * lookup whose prefix extends a cached prefix by the start of its suggestion returns the rest of
 * the suggestion, so typing through a suggestion sends no request.
 */
export class CompletionCache {
  readonly #capacity: number;
  readonly #entries = new Map<string, CachedCompletion>();

  /** Keeps at most `capacity` completions (at least 1). */
  constructor(capacity = 32) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new TypeError(`capacity must be a positive integer, got ${String(capacity)}`);
    this.#capacity = capacity;
  }

  /** Number of completions held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Remembers a non-empty suggestion for a cursor context. */
  set(prefix: string, suffix: string, text: string): void {
    if (text === '') return;
    this.#entries.delete(prefix);
    this.#entries.set(prefix, { prefix, suffix, text });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** What is left to suggest at `prefix` (same suffix), or undefined; the newest matching entry wins. */
  get(prefix: string, suffix: string): string | undefined {
    const hits = [...this.#entries.values()].reverse();
    for (const entry of hits) {
      if (entry.suffix !== suffix || !prefix.startsWith(entry.prefix)) continue;
      const typed = prefix.slice(entry.prefix.length);
      if (typed.length >= entry.text.length || !entry.text.startsWith(typed)) continue;
      this.#entries.delete(entry.prefix);
      this.#entries.set(entry.prefix, entry);
      return entry.text.slice(typed.length);
    }
    return undefined;
  }
}
