/** A set of listeners whose failures never reach the emitter or each other. */
export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();

  /** Adds a listener; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  /** Number of listeners. */
  get size(): number {
    return this.#set.size;
  }

  /** Calls every listener with `value`. */
  emit(value: T): void {
    for (const listener of this.#set) {
      try {
        listener(value);
      } catch {
        // A listener's failure must not break scheduling or other listeners.
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#set.clear();
  }
}
