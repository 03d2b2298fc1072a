import * as path from 'node:path';
import { ChangeSet } from '../../../src/agent/model/changeSet';
import { DEFAULT_TOOL_LIMITS, type ToolContext } from '../../../src/agent/model/toolContext';
import type {
  CommandOutcome,
  CommandPort,
  PathStat,
  TextMatch,
  TextQuery,
  WorkspaceDiagnostic,
  WorkspacePort,
} from '../../../src/agent/model/workspacePort';

/** The workspace root the agent tests use. */
export const ROOT = '/work/ws';

/**
 * An in-memory file system behind the workspace port: files and symbolic links by absolute path
 * (folders are implied by the files under them). It records every path it was asked to read.
 */
export class MemoryWorkspace implements WorkspacePort {
  readonly files = new Map<string, string>();
  readonly links = new Map<string, string>();
  readonly reads: string[] = [];
  readonly diagnosticsList: WorkspaceDiagnostic[] = [];
  /** Makes the next port call reject with this message. */
  failNext: string | undefined;

  constructor(files: Record<string, string> = {}, links: Record<string, string> = {}) {
    for (const [p, text] of Object.entries(files))
      this.files.set(p.startsWith('/') ? p : `${ROOT}/${p}`, text);
    for (const [p, target] of Object.entries(links))
      this.links.set(p.startsWith('/') ? p : `${ROOT}/${p}`, target);
  }

  readonly realpath = (absolutePath: string): Promise<string | undefined> =>
    Promise.resolve(this.#real(absolutePath));

  #real(absolutePath: string, depth = 0): string | undefined {
    if (depth > 20) return undefined;
    let current = '/';
    for (const segment of path.posix.normalize(absolutePath).split('/').filter(Boolean)) {
      current = path.posix.join(current, segment);
      const target = this.links.get(current);
      if (target !== undefined) {
        const resolved = this.#real(target, depth + 1);
        if (resolved === undefined) return undefined;
        current = resolved;
      }
    }
    return this.#exists(current) ? current : undefined;
  }

  #exists(p: string): boolean {
    return p === '/' || this.files.has(p) || [...this.files.keys()].some((f) => f.startsWith(`${p}/`));
  }

  #check(): void {
    const message = this.failNext;
    this.failNext = undefined;
    if (message !== undefined) throw new Error(message);
  }

  stat(absolutePath: string): Promise<PathStat> {
    this.#check();
    const real = this.#real(absolutePath);
    if (real === undefined) return Promise.resolve(undefined);
    const text = this.files.get(real);
    return Promise.resolve(
      text === undefined ? { type: 'directory', size: 0 } : { type: 'file', size: text.length },
    );
  }

  readText(absolutePath: string): Promise<string> {
    this.#check();
    const real = this.#real(absolutePath);
    this.reads.push(real ?? absolutePath);
    const text = real === undefined ? undefined : this.files.get(real);
    return text === undefined ? Promise.reject(new Error(`ENOENT: ${absolutePath}`)) : Promise.resolve(text);
  }

  findFiles(glob: string, maxResults: number): Promise<readonly string[]> {
    this.#check();
    const all = [...this.files.keys(), ...this.links.keys()].filter((p) =>
      path.posix.matchesGlob(path.posix.relative(ROOT, p), glob),
    );
    return Promise.resolve(all.slice(0, maxResults));
  }

  searchText(query: TextQuery, maxResults: number): Promise<readonly TextMatch[]> {
    this.#check();
    const matches: TextMatch[] = [];
    // Like `rg --follow`: symlinked files are searched under their link path.
    for (const p of [...this.files.keys(), ...this.links.keys()]) {
      const text = this.files.get(this.#real(p) ?? '');
      if (text === undefined) continue;
      text.split('\n').forEach((line, i) => {
        const isMatch = query.isRegex ? new RegExp(query.query).test(line) : line.includes(query.query);
        if (isMatch) matches.push({ absolutePath: p, line: i + 1, text: line });
      });
    }
    return Promise.resolve(matches.slice(0, maxResults));
  }

  diagnostics(absolutePath: string | undefined): Promise<readonly WorkspaceDiagnostic[]> {
    this.#check();
    return Promise.resolve(
      this.diagnosticsList.filter((d) => absolutePath === undefined || d.absolutePath === absolutePath),
    );
  }
}

/** A command port that answers from a script and records what it was asked. */
export class ScriptedCommands implements CommandPort {
  readonly calls: { command: string; cwd: string; preapproved: boolean }[] = [];
  answer: CommandOutcome = { kind: 'ran', exitCode: 0, output: 'ok' };

  run(command: string, cwd: string, preapproved: boolean): Promise<CommandOutcome> {
    this.calls.push({ command, cwd, preapproved });
    return Promise.resolve(this.answer);
  }
}

/** A tool context over `workspace` with default limits, secrets refused, and `npm test` pre-approved. */
export function toolContext(
  workspace: MemoryWorkspace,
  extra: Partial<ToolContext> = {},
): ToolContext & { readonly commands: ScriptedCommands } {
  return {
    policy: { root: ROOT, allowSecrets: false },
    workspace,
    commands: new ScriptedCommands(),
    changes: new ChangeSet(),
    limits: DEFAULT_TOOL_LIMITS,
    approvedCommandPrefixes: ['npm test'],
    signal: new AbortController().signal,
    ...extra,
  } as ToolContext & { readonly commands: ScriptedCommands };
}
