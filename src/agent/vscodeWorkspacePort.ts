import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { enabledExcludes, parseRipgrepLine, ripgrepArgs, ripgrepCandidates } from './model/ripgrepSearch';
import type {
  PathStat,
  TextMatch,
  TextQuery,
  WorkspaceDiagnostic,
  WorkspacePort,
} from './model/workspacePort';

const SEVERITIES: Readonly<Record<vscode.DiagnosticSeverity, WorkspaceDiagnostic['severity']>> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** VS Code's own ripgrep, or undefined when none of the known places has it. */
function findRipgrep(): string | undefined {
  return ripgrepCandidates(vscode.env.appRoot, process.platform, process.arch).find((p) => fs.existsSync(p));
}

/**
 * The agent's workspace port over one workspace folder: vscode.workspace.fs for reading, findFiles
 * for listing (files.exclude honoured), VS Code's ripgrep for search (.gitignore and files.exclude
 * honoured) and the diagnostics collection. Paths are the folder URI's POSIX paths, as the path
 * guard works with; real paths come from the file system for `file:` folders (other schemes have no
 * symbolic links).
 */
export class VscodeWorkspacePort implements WorkspacePort {
  readonly #folder: vscode.WorkspaceFolder;

  constructor(folder: vscode.WorkspaceFolder) {
    this.#folder = folder;
  }

  #uri(absolutePath: string): vscode.Uri {
    return this.#folder.uri.with({ path: absolutePath });
  }

  readonly realpath = async (absolutePath: string): Promise<string | undefined> => {
    const uri = this.#uri(absolutePath);
    try {
      if (uri.scheme === 'file') return vscode.Uri.file(await fs.promises.realpath(uri.fsPath)).path;
      await vscode.workspace.fs.stat(uri);
      return absolutePath;
    } catch {
      return undefined;
    }
  };

  async stat(absolutePath: string): Promise<PathStat> {
    try {
      const stat = await vscode.workspace.fs.stat(this.#uri(absolutePath));
      const isDirectory = (stat.type & vscode.FileType.Directory) !== 0;
      return { type: isDirectory ? 'directory' : 'file', size: stat.size };
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
      throw error;
    }
  }

  async readText(absolutePath: string): Promise<string> {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(this.#uri(absolutePath)));
  }

  async findFiles(glob: string, maxResults: number): Promise<readonly string[]> {
    const found = await vscode.workspace.findFiles(
      new vscode.RelativePattern(this.#folder, glob),
      undefined,
      maxResults,
    );
    return found.map((uri) => uri.path);
  }

  searchText(query: TextQuery, maxResults: number): Promise<readonly TextMatch[]> {
    const rg = findRipgrep();
    if (rg === undefined || this.#folder.uri.scheme !== 'file')
      return Promise.reject(
        new Error('text search needs ripgrep on a local folder; use list_files and read_file instead'),
      );
    const excludes = enabledExcludes(vscode.workspace.getConfiguration('files', this.#folder).get('exclude'));
    const child = spawn(rg, ripgrepArgs(query, this.#folder.uri.fsPath, excludes), {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const matches: TextMatch[] = [];
    return new Promise((resolve, reject) => {
      const lines = readline.createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const match = parseRipgrepLine(line);
        if (match === undefined || matches.length >= maxResults) return;
        matches.push({ ...match, absolutePath: vscode.Uri.file(match.absolutePath).path });
        if (matches.length >= maxResults) child.kill();
      });
      child.once('error', reject);
      // rg exits 1 when nothing matched and is killed once enough did: both are answers.
      child.once('close', () => resolve(matches));
    });
  }

  diagnostics(absolutePath: string | undefined): Promise<readonly WorkspaceDiagnostic[]> {
    const entries: ReadonlyArray<readonly [vscode.Uri, readonly vscode.Diagnostic[]]> =
      absolutePath === undefined
        ? vscode.languages.getDiagnostics()
        : [[this.#uri(absolutePath), vscode.languages.getDiagnostics(this.#uri(absolutePath))]];
    return Promise.resolve(
      entries
        .filter(([uri]) => uri.scheme === this.#folder.uri.scheme)
        .flatMap(([uri, list]) =>
          list.map((d) => ({
            absolutePath: uri.path,
            line: d.range.start.line + 1,
            severity: SEVERITIES[d.severity],
            message: d.message,
            ...(d.source !== undefined && { source: d.source }),
          })),
        ),
    );
  }
}
