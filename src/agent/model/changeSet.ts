/** One file's proposed change: its text when first proposed (undefined: it did not exist) and the text proposed (undefined: delete). */
export interface FileChange {
  readonly path: string;
  /** The text the proposal was made against; applying checks the file still has it. */
  readonly originalText: string | undefined;
  readonly proposedText: string | undefined;
}

/** Why a proposal was not taken (one sentence for the model), or undefined when it was. */
export type ProposalRefusal = string | undefined;

/** Splits text into lines, keeping each line's ending, so joining them gives the text back. */
function linesOf(text: string): string[] {
  return text === '' ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

/**
 * The edits an agent run proposed, gathered per file for review: later edits of a file apply to
 * its proposed text, so the model can edit one file step by step. Nothing here touches the disk.
 */
export class ChangeSet {
  readonly #changes = new Map<string, FileChange>();

  /** The proposed files, in the order first proposed. */
  get files(): readonly FileChange[] {
    return [...this.#changes.values()];
  }

  /** The text a path has with the proposals so far: `current` (read from disk) unless a proposal changed it. */
  textOf(path: string, current: string | undefined): string | undefined {
    const change = this.#changes.get(path);
    return change === undefined ? current : change.proposedText;
  }

  /** Proposes a new file; `current` is the file's text on disk (undefined when missing). */
  create(path: string, current: string | undefined, content: string): ProposalRefusal {
    if (this.textOf(path, current) !== undefined)
      return `${path} already exists; use replace_lines to change it.`;
    this.#set(path, current, content);
    return undefined;
  }

  /**
   * Proposes replacing lines `startLine`..`endLine` (1-based, inclusive; `endLine = startLine - 1`
   * inserts) with `newText`, which gets a line ending when it replaces whole lines without one.
   */
  replaceLines(
    path: string,
    current: string | undefined,
    startLine: number,
    endLine: number,
    newText: string,
  ): ProposalRefusal {
    const text = this.textOf(path, current);
    if (text === undefined) return `${path} does not exist; use create_file.`;
    const lines = linesOf(text);
    if (startLine > lines.length + 1 || endLine < startLine - 1 || endLine > lines.length)
      return `Lines ${startLine}..${endLine} are not in ${path}, which has ${lines.length} lines.`;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const isMidText = endLine < lines.length || text.endsWith('\n');
    const inserted = newText !== '' && isMidText && !newText.endsWith('\n') ? newText + eol : newText;
    const next = [...lines.slice(0, startLine - 1), inserted, ...lines.slice(endLine)].join('');
    this.#set(path, current, next);
    return undefined;
  }

  /** Proposes deleting a file. */
  delete(path: string, current: string | undefined): ProposalRefusal {
    if (this.textOf(path, current) === undefined) return `${path} does not exist.`;
    this.#set(path, current, undefined);
    return undefined;
  }

  #set(path: string, current: string | undefined, proposedText: string | undefined): void {
    const earlier = this.#changes.get(path);
    const originalText = earlier === undefined ? current : earlier.originalText;
    if (originalText === proposedText) this.#changes.delete(path);
    else this.#changes.set(path, { path, originalText, proposedText });
  }
}
