import type { FileChange } from './changeSet';

/** What applying the accepted files of a change set does: the files to write, and those left alone and why. */
export interface ApplyPlan {
  readonly write: readonly FileChange[];
  /** Accepted files whose text changed since the proposal (the version check): not written. */
  readonly stale: readonly FileChange[];
  readonly rejected: readonly FileChange[];
}

/**
 * Splits a change set for applying: accepted files are written only when the file still has the
 * text the proposal was made against (or still does not exist, for a new file), like the editor
 * proposals' version check; everything not accepted is rejected, so nothing lands without a click.
 */
export function planApply(
  changes: readonly FileChange[],
  accepted: ReadonlySet<string>,
  currentTextOf: (path: string) => string | undefined,
): ApplyPlan {
  const write: FileChange[] = [];
  const stale: FileChange[] = [];
  const rejected: FileChange[] = [];
  for (const change of changes) {
    if (!accepted.has(change.path)) rejected.push(change);
    else if (currentTextOf(change.path) !== change.originalText) stale.push(change);
    else write.push(change);
  }
  return { write, stale, rejected };
}
