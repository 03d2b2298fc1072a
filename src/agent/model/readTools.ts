import { capLines, toolError, toolText, type ToolContext, type ToolOutcome } from './toolContext';
import {
  inputObject,
  optionalCount,
  optionalFlag,
  optionalText,
  textField,
  ToolInputError,
} from './toolInput';
import { checkPathLexically, resolveToolPath, type PathCheck } from './toolPath';

const MAX_GLOB_CHARS = 500;
const MAX_QUERY_CHARS = 1000;
const MAX_MATCH_LINE_CHARS = 300;
const MAX_LINE = 10_000_000;

/** Checks a glob the way a path is checked: relative, no `..`. */
function checkGlob(glob: string): void {
  const slashed = glob.replace(/\\/g, '/');
  if (slashed.split('/').includes('..') || slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed))
    throw new ToolInputError(`The glob ${glob} must be relative to the workspace root, without "..".`);
}

/** Relative paths of the absolute paths the guard lets through (by name only: nothing of them is read). */
function visibleNames(absolutePaths: readonly string[], context: ToolContext): string[] {
  return absolutePaths
    .map((p) => checkPathLexically(p, context.policy))
    .flatMap((check) => (check.ok ? [check.relative] : []));
}

/** list_files: the workspace paths a glob matches, secrets and anything outside left out. */
export async function listFiles(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw, ['glob', 'maxResults']);
  const glob = textField(input, 'glob', { maxChars: MAX_GLOB_CHARS });
  checkGlob(glob);
  const maxResults = optionalCount(input, 'maxResults', 1, 500) ?? 200;
  const found = await context.workspace.findFiles(glob, maxResults);
  const names = visibleNames(found.slice(0, maxResults), context).sort();
  if (names.length === 0) return toolText(`No files match ${glob}.`);
  const note = found.length >= maxResults ? `\n(the first ${maxResults}; narrow the glob for more)` : '';
  return toolText(
    capLines(names, context.limits.maxResultChars, (n) => `(${n} of ${names.length} shown)`) + note,
  );
}

/** A file's text as the model sees it: on disk, with the run's proposals applied. */
async function proposedText(
  check: Extract<PathCheck, { ok: true }>,
  context: ToolContext,
): Promise<string | ToolOutcome> {
  const stat = await context.workspace.stat(check.absolute);
  if (stat?.type === 'directory') return toolError(`${check.relative} is a folder; use list_files.`);
  if (stat !== undefined && stat.size > context.limits.maxFileBytes)
    return toolError(
      `${check.relative} is ${stat.size} bytes, more than the ${context.limits.maxFileBytes} a tool may read.`,
    );
  const onDisk = stat === undefined ? undefined : await context.workspace.readText(check.absolute);
  const text = context.changes.textOf(check.relative, onDisk);
  if (text === undefined)
    return toolError(
      onDisk === undefined
        ? `${check.relative} does not exist.`
        : `${check.relative} is deleted by your proposals.`,
    );
  return text;
}

/** read_file: a text file's lines (or a range of them), numbered, cut to the result cap with a note where to go on. */
export async function readFile(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw, ['path', 'startLine', 'endLine']);
  const start = optionalCount(input, 'startLine', 1, MAX_LINE) ?? 1;
  const end = optionalCount(input, 'endLine', 1, MAX_LINE);
  if (end !== undefined && end < start) throw new ToolInputError('"endLine" must not be before "startLine".');
  const check = await resolveToolPath(input.path, context.policy, context.workspace.realpath);
  if (!check.ok) return toolError(check.reason);
  const text = await proposedText(check, context);
  if (typeof text !== 'string') return text;
  if (text.includes('\0')) return toolError(`${check.relative} is a binary file; it is not shown.`);
  const lines = text.split(/\r?\n/);
  if (text.endsWith('\n')) lines.pop();
  if (start > Math.max(lines.length, 1))
    return toolError(`${check.relative} has ${lines.length} lines; "startLine" ${start} is past its end.`);
  const last = Math.min(end ?? lines.length, lines.length);
  const numbered = lines.slice(start - 1, last).map((line, i) => `${start + i}: ${line}`);
  const header = `${check.relative} (lines ${start}-${last} of ${lines.length})`;
  const body = capLines(numbered, context.limits.maxResultChars - header.length - 1, (shown) => {
    const next = start + shown;
    return `[cut at line ${next - 1}; read on with startLine ${next}]`;
  });
  return toolText(`${header}\n${body}`);
}

/** search_text: matching lines as `path:line: text`, only from files the guard lets tools read. */
export async function searchText(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw, ['query', 'isRegex', 'glob', 'maxResults']);
  const query = textField(input, 'query', { maxChars: MAX_QUERY_CHARS });
  const isRegex = optionalFlag(input, 'isRegex') ?? false;
  const glob = optionalText(input, 'glob', { maxChars: MAX_GLOB_CHARS });
  if (glob !== undefined) checkGlob(glob);
  const maxResults = optionalCount(input, 'maxResults', 1, 200) ?? 50;
  if (isRegex)
    try {
      new RegExp(query);
    } catch (error) {
      throw new ToolInputError(`"query" is not a valid regular expression: ${(error as Error).message}`);
    }
  const matches = await context.workspace.searchText(
    { query, isRegex, ...(glob !== undefined && { glob }) },
    maxResults,
  );
  const checks = new Map<string, PathCheck>();
  const lines: string[] = [];
  for (const match of matches.slice(0, maxResults)) {
    // Each file is checked once, through its real path: a match shows file content.
    let check = checks.get(match.absolutePath);
    if (check === undefined) {
      check = await resolveToolPath(match.absolutePath, context.policy, context.workspace.realpath);
      checks.set(match.absolutePath, check);
    }
    if (check.ok) lines.push(`${check.relative}:${match.line}: ${match.text.slice(0, MAX_MATCH_LINE_CHARS)}`);
  }
  if (lines.length === 0) return toolText(`No matches for ${JSON.stringify(query)}.`);
  return toolText(
    capLines(lines, context.limits.maxResultChars, (n) => `(${n} of ${lines.length} matches shown)`),
  );
}

/** get_diagnostics: errors and warnings of one file or of the workspace, as `path:line: severity: message`. */
export async function getDiagnostics(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw ?? {}, ['path']);
  let absolute: string | undefined;
  if (input.path !== undefined) {
    const check = await resolveToolPath(input.path, context.policy, context.workspace.realpath);
    if (!check.ok) return toolError(check.reason);
    absolute = check.absolute;
  }
  const lines: string[] = [];
  for (const d of await context.workspace.diagnostics(absolute)) {
    const check = checkPathLexically(d.absolutePath, context.policy);
    if (!check.ok) continue;
    const source = d.source === undefined ? '' : ` (${d.source})`;
    lines.push(`${check.relative}:${d.line}: ${d.severity}: ${d.message}${source}`);
  }
  if (lines.length === 0) return toolText('No problems reported.');
  return toolText(
    capLines(lines, context.limits.maxResultChars, (n) => `(${n} of ${lines.length} problems shown)`),
  );
}
