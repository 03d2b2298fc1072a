import type { RealPath } from './toolPath';

/** What is at a path. */
export type PathStat = { readonly type: 'file' | 'directory'; readonly size: number } | undefined;

/** A text search the editor layer runs (ripgrep, honouring .gitignore and files.exclude). */
export interface TextQuery {
  readonly query: string;
  readonly isRegex: boolean;
  /** Only files matching this workspace-relative glob. */
  readonly glob?: string;
}

/** One matching line; `absolutePath` is re-checked by the path guard before anything is shown. */
export interface TextMatch {
  readonly absolutePath: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

/** A problem VS Code reports for a file. */
export interface WorkspaceDiagnostic {
  readonly absolutePath: string;
  /** 1-based. */
  readonly line: number;
  readonly severity: 'error' | 'warning' | 'information' | 'hint';
  readonly message: string;
  readonly source?: string;
}

/**
 * What the agent's tools may ask of the workspace, always with absolute paths the guard passed.
 * The editor layer implements it over vscode.workspace.fs, findFiles, ripgrep and the diagnostics
 * collection; tests implement it in memory. Methods may reject; the executors turn that into an
 * error result.
 */
export interface WorkspacePort {
  readonly realpath: RealPath;
  stat(absolutePath: string): Promise<PathStat>;
  readText(absolutePath: string): Promise<string>;
  /** Absolute paths of files matching a workspace-relative glob, at most `maxResults`. */
  findFiles(glob: string, maxResults: number): Promise<readonly string[]>;
  searchText(query: TextQuery, maxResults: number): Promise<readonly TextMatch[]>;
  /** Diagnostics of one file, or of every file when `absolutePath` is undefined. */
  diagnostics(absolutePath: string | undefined): Promise<readonly WorkspaceDiagnostic[]>;
}

/** How a confirmed command went, or that the user declined it. */
export type CommandOutcome =
  | { readonly kind: 'ran'; readonly exitCode: number | undefined; readonly output: string }
  | { readonly kind: 'declined' };

/** Runs a shell command after the user confirms that exact command (or a pre-approved prefix covers it). */
export interface CommandPort {
  run(
    command: string,
    cwdAbsolute: string,
    preapproved: boolean,
    signal: AbortSignal,
  ): Promise<CommandOutcome>;
}
