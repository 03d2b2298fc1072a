import { toolError, toolText, type ToolContext, type ToolOutcome } from './toolContext';
import { inputObject, optionalText, textField } from './toolInput';
import { resolveToolPath } from './toolPath';

const MAX_COMMAND_CHARS = 2000;
// Anything that chains, substitutes or redirects: a pre-approved prefix never covers such a command.
const SHELL_OPERATORS = /[;&|`$<>\n\r()]/;

/**
 * Whether a pre-approved prefix covers the whole command: it starts with the prefix followed by
 * nothing or a space, and contains no shell operator (so "npm test" never approves
 * "npm test; rm -rf ~" or "npm test && curl …").
 */
export function isPreapproved(command: string, prefixes: readonly string[]): boolean {
  const trimmed = command.trim();
  if (SHELL_OPERATORS.test(trimmed)) return false;
  return prefixes.some((raw) => {
    const prefix = raw.trim();
    return prefix !== '' && (trimmed === prefix || trimmed.startsWith(`${prefix} `));
  });
}

/** Keeps the end of long output (where errors are), with a note of how much was left out. */
function tail(output: string, maxChars: number): string {
  if (output.length <= maxChars) return output;
  return `[first ${output.length - maxChars} characters left out]\n${output.slice(-maxChars)}`;
}

/** run_command: runs a command in the workspace once the user confirms it; its exit code and output. */
export async function runCommand(raw: unknown, context: ToolContext): Promise<ToolOutcome> {
  const input = inputObject(raw, ['command', 'cwd']);
  const command = textField(input, 'command', { maxChars: MAX_COMMAND_CHARS });
  const cwd = await resolveToolPath(
    optionalText(input, 'cwd', { maxChars: 1024 }) ?? '.',
    context.policy,
    context.workspace.realpath,
  );
  if (!cwd.ok) return toolError(cwd.reason);
  const preapproved = isPreapproved(command, context.approvedCommandPrefixes);
  const outcome = await context.commands.run(command, cwd.absolute, preapproved, context.signal);
  if (outcome.kind === 'declined') return toolError('The user declined to run this command.');
  const status = outcome.exitCode === undefined ? 'Exit code unknown' : `Exit code ${outcome.exitCode}`;
  const output = tail(outcome.output, context.limits.maxResultChars - 100);
  return {
    ...toolText(`${status}.\n${output}`),
    isError: outcome.exitCode !== undefined && outcome.exitCode !== 0,
  };
}
