import type { ChangeSet } from './changeSet';
import type { PathPolicy } from './toolPath';
import type { CommandPort, WorkspacePort } from './workspacePort';

/** Size caps of tool results. */
export interface ToolLimits {
  /** Longest tool result sent back to the model, in characters. @default 20000 */
  readonly maxResultChars: number;
  /** Largest file read_file opens, in bytes. @default 1000000 */
  readonly maxFileBytes: number;
}

/** Default {@link ToolLimits}. */
export const DEFAULT_TOOL_LIMITS: ToolLimits = { maxResultChars: 20_000, maxFileBytes: 1_000_000 };

/** Everything a tool call runs against; one per agent run. */
export interface ToolContext {
  readonly policy: PathPolicy;
  readonly workspace: WorkspacePort;
  readonly commands: CommandPort;
  readonly changes: ChangeSet;
  readonly limits: ToolLimits;
  /** Command prefixes the user pre-approved (setting); anything else is confirmed first. */
  readonly approvedCommandPrefixes: readonly string[];
  readonly signal: AbortSignal;
}

/** What a tool call produced: the tool_result's text, and whether it is an error. */
export interface ToolOutcome {
  readonly content: string;
  readonly isError: boolean;
}

/** A successful tool result. */
export function toolText(content: string): ToolOutcome {
  return { content, isError: false };
}

/** A failed tool result: the model reads `message` and may try again differently. */
export function toolError(message: string): ToolOutcome {
  return { content: message, isError: true };
}

/** Lines kept from the top while they fit `maxChars`, with a note naming how many were left out. */
export function capLines(
  lines: readonly string[],
  maxChars: number,
  more: (shown: number) => string,
): string {
  let size = 0;
  let shown = 0;
  for (const line of lines) {
    if (size + line.length + 1 > maxChars) break;
    size += line.length + 1;
    shown++;
  }
  const kept = lines.slice(0, shown).join('\n');
  return shown === lines.length ? kept : `${kept}\n${more(shown)}`;
}
