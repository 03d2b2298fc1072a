import * as path from 'node:path';
import type { TextMatch, TextQuery } from './workspacePort';

const MAX_COLUMNS = 300;

/**
 * Where VS Code keeps its own ripgrep, most likely first: desktop builds (`@vscode/ripgrep`,
 * unpacked from the asar) and code-server (`@vscode/ripgrep-universal`, one binary per platform).
 * The extension uses that binary instead of shipping one (the npm package downloads it at install).
 */
export function ripgrepCandidates(appRoot: string, platform: string, arch: string): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  return [
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
  ];
}

/**
 * ripgrep's arguments for a search of `root`: JSON output, .gitignore honoured even outside a git
 * repository, hidden files and symbolic links skipped (rg's defaults), each `files.exclude` glob
 * excluded, long lines and large files left out. The query always follows `--regexp`, so a query
 * that starts with `-` is never read as an option.
 */
export function ripgrepArgs(query: TextQuery, root: string, excludeGlobs: readonly string[]): string[] {
  return [
    '--json',
    '--no-require-git',
    '--max-columns',
    String(MAX_COLUMNS),
    '--max-columns-preview',
    '--max-filesize',
    '1M',
    ...(query.isRegex ? [] : ['--fixed-strings']),
    ...(query.glob !== undefined ? ['--glob', query.glob] : []),
    ...excludeGlobs.flatMap((glob) => ['--glob', `!${glob}`]),
    '--regexp',
    query.query,
    '--',
    root,
  ];
}

/** The globs of a `files.exclude` setting that are on (a `when` clause counts as on). */
export function enabledExcludes(setting: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.entries(setting ?? {})
    .filter(([, value]) => value === true || (typeof value === 'object' && value !== null))
    .map(([glob]) => glob);
}

/** The match of one line of `rg --json` output, or undefined for other records and lines that are not JSON. */
export function parseRipgrepLine(line: string): TextMatch | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || (record as { type?: unknown }).type !== 'match')
    return undefined;
  const data = (
    record as { data?: { path?: { text?: unknown }; lines?: { text?: unknown }; line_number?: unknown } }
  ).data;
  const file = data?.path?.text;
  const text = data?.lines?.text;
  const lineNumber = data?.line_number;
  // Paths and lines that are not UTF-8 come as base64 `bytes`: left out rather than guessed.
  if (typeof file !== 'string' || typeof text !== 'string' || typeof lineNumber !== 'number')
    return undefined;
  return { absolutePath: file, line: lineNumber, text: text.replace(/\r?\n$/, '') };
}
