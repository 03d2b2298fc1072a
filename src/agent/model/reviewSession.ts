import type { FileChange } from './changeSet';

/** Where one file of a review is: undecided, being written, or decided. */
export type FileDecision = 'pending' | 'applying' | 'written' | 'stale' | 'rejected';

/** What a review ended with, by path. */
export interface ReviewResult {
  readonly written: readonly string[];
  /** Accepted but not written: the file changed since Claude read it (or the edit was refused). */
  readonly stale: readonly string[];
  readonly rejected: readonly string[];
}

/**
 * The decisions of one change set's review, file by file: a file is written only after the
 * user's Accept (once, even when Accept is pressed twice), and the review is done when every file
 * is written, refused as stale, or rejected. Nothing here touches the disk.
 */
export class ReviewSession {
  readonly #changes: readonly FileChange[];
  readonly #decisions = new Map<string, FileDecision>();

  constructor(changes: readonly FileChange[]) {
    this.#changes = changes;
    for (const change of changes) this.#decisions.set(change.path, 'pending');
  }

  /** The files in review, in the order proposed. */
  get changes(): readonly FileChange[] {
    return this.#changes;
  }

  /** Where `path` is; undefined when it is not in this review. */
  decisionOf(path: string): FileDecision | undefined {
    return this.#decisions.get(path);
  }

  /** The files nobody decided on yet. */
  get pending(): readonly FileChange[] {
    return this.#changes.filter((c) => this.#decisions.get(c.path) === 'pending');
  }

  /** True when every file is written, stale or rejected. */
  get isDone(): boolean {
    return [...this.#decisions.values()].every((d) => d !== 'pending' && d !== 'applying');
  }

  /** Accepts a pending file: it is now being written; returns it (undefined when not pending, so it is never written twice). */
  accept(path: string): FileChange | undefined {
    if (this.#decisions.get(path) !== 'pending') return undefined;
    this.#decisions.set(path, 'applying');
    return this.#changes.find((c) => c.path === path);
  }

  /** Records how writing an accepted file went. */
  applied(path: string, isWritten: boolean): void {
    if (this.#decisions.get(path) === 'applying') this.#decisions.set(path, isWritten ? 'written' : 'stale');
  }

  /** Rejects a pending file; false when it was not pending. */
  reject(path: string): boolean {
    if (this.#decisions.get(path) !== 'pending') return false;
    this.#decisions.set(path, 'rejected');
    return true;
  }

  /** The outcome so far, by path in the order proposed (files still pending count as rejected). */
  result(): ReviewResult {
    const of = (...decisions: FileDecision[]): string[] =>
      this.#changes
        .filter((c) => decisions.includes(this.#decisions.get(c.path) ?? 'pending'))
        .map((c) => c.path);
    return { written: of('written'), stale: of('stale'), rejected: of('rejected', 'pending') };
  }
}
