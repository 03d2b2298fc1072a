/**
 * A FIFO queue ordered by a submission sequence number, with O(1) removal at the head and
 * ordered re-insertion (a retried request goes back to its original place).
 */
export class FifoLane<T extends { readonly seqNo: number }> {
  #items: T[] = [];
  #head = 0;

  /** Items waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** The item at `index` from the head, or undefined. */
  at(index: number): T | undefined {
    return this.#items[this.#head + index];
  }

  /** Appends (new submissions have the largest sequence number, so this keeps the order). */
  push(item: T): void {
    this.#items.push(item);
  }

  /** Inserts in sequence order (for requests coming back to wait for a retry). */
  insertOrdered(item: T): void {
    let lo = this.#head;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#items[mid]!.seqNo < item.seqNo) lo = mid + 1;
      else hi = mid;
    }
    this.#items.splice(lo, 0, item);
  }

  /** Removes an item wherever it is; returns whether it was there. */
  remove(item: T): boolean {
    if (this.#items[this.#head] === item) {
      this.#items[this.#head] = undefined as unknown as T;
      this.#head++;
      this.#compact();
      return true;
    }
    const index = this.#items.indexOf(item, this.#head);
    if (index < 0) return false;
    this.#items.splice(index, 1);
    return true;
  }

  /** Position of an item from the head, or -1. */
  indexOf(item: T): number {
    const index = this.#items.indexOf(item, this.#head);
    return index < 0 ? -1 : index - this.#head;
  }

  /** Iterates from the head. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i]!;
  }

  #compact(): void {
    // Drop the consumed prefix once it dominates, so memory stays proportional to what waits.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
