import { toolError, toolText, type ToolContext, type ToolOutcome } from './toolContext';
import { inputObject, optionalCount, textField, ToolInputError } from './toolInput';
import { resolveToolPath, type PathCheck } from './toolPath';

const MAX_EDIT_CHARS = 200_000;
const MAX_LINE = 10_000_000;

type AllowedPath = Extract<PathCheck, { ok: true }>;

/** The path's text on disk (undefined when missing), or an error result when it cannot be edited. */
async function diskText(check: AllowedPath, context: ToolContext): Promise<string | undefined | ToolOutcome> {
  const stat = await context.workspace.stat(check.absolute);
  if (stat === undefined) return undefined;
  if (stat.type === 'directory') return toolError(`${check.relative} is a folder.`);
  if (stat.size > context.limits.maxFileBytes)
    return toolError(
      `${check.relative} is larger than the ${context.limits.maxFileBytes} bytes a tool may edit.`,
    );
  return context.workspace.readText(check.absolute);
}

/** Resolves the input's path and reads what is there, then hands both to `propose`. */
async function proposeAt(
  input: Readonly<Record<string, unknown>>,
  context: ToolContext,
  propose: (check: AllowedPath, current: string | undefined) => string | undefined,
  done: (relative: string) => string,
): Promise<ToolOutcome> {
  const check = await resolveToolPath(input.path, context.policy, context.workspace.realpath);
  if (!check.ok) return toolError(check.reason);
  const current = await diskText(check, context);
  if (typeof current === 'object') return current;
  const refusal = propose(check, current);
  return refusal === undefined ? toolText(done(check.relative)) : toolError(refusal);
}

const PENDING = 'Proposed; the user reviews the change set when the run ends.';

/** create_file: proposes a new file (refused when one is there, on disk or proposed). */
export async function createFile(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw, ['path', 'content']);
  const content = textField(input, 'content', { maxChars: MAX_EDIT_CHARS, allowEmpty: true });
  return proposeAt(
    input,
    context,
    (check, current) => context.changes.create(check.relative, current, content),
    (relative) => `Create ${relative}. ${PENDING}`,
  );
}

/** replace_lines: proposes replacing (or deleting, or inserting before) a range of lines. */
export async function replaceLines(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw, ['path', 'startLine', 'endLine', 'newText']);
  const startLine = optionalCount(input, 'startLine', 1, MAX_LINE);
  const endLine = optionalCount(input, 'endLine', 0, MAX_LINE);
  if (startLine === undefined || endLine === undefined)
    throw new ToolInputError('"startLine" and "endLine" are required.');
  const newText = textField(input, 'newText', { maxChars: MAX_EDIT_CHARS, allowEmpty: true });
  return proposeAt(
    input,
    context,
    (check, current) => context.changes.replaceLines(check.relative, current, startLine, endLine, newText),
    (relative) => `Replace lines ${startLine}-${endLine} of ${relative}. ${PENDING}`,
  );
}

/** delete_file: proposes deleting a file. */
export async function deleteFile(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw, ['path']);
  return proposeAt(
    input,
    context,
    (check, current) => context.changes.delete(check.relative, current),
    (relative) => `Delete ${relative}. ${PENDING}`,
  );
}
