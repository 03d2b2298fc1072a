import type { ToolDefinition } from '../../pacer/index';
import { toolError, toolText, type ToolOutcome } from './toolContext';

/** A tool another extension registered (vscode.lm.tools: e.g. an MCP server's), as the agent sees it. */
export interface ExternalToolInfo {
  readonly name: string;
  readonly description: string;
  /** JSON schema of the tool's input, when it declares one. */
  readonly inputSchema: object | undefined;
}

/** Calls an external tool by name; resolves with its result's parts (vscode.lm.invokeTool). */
export type InvokeExternalTool = (
  name: string,
  input: object,
  signal: AbortSignal,
) => Promise<readonly unknown[]>;

/** Runs one tool call; never throws. */
export type ToolExecutor = (name: string, input: unknown, signal: AbortSignal) => Promise<ToolOutcome>;

/** External tools offered at most: each definition is input tokens on every step. */
export const MAX_EXTERNAL_TOOLS = 64;
const MAX_DESCRIPTION_CHARS = 1_024;
// The Messages API's rule for tool names; a name outside it would fail the whole request.
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Messages API definitions of the external tools the agent can offer: names the API accepts
 * and no workspace tool already takes (first one wins), an object input schema (an empty one when
 * the tool declares none or another type), descriptions capped, at most MAX_EXTERNAL_TOOLS.
 */
export function externalToolDefinitions(
  tools: readonly ExternalToolInfo[],
  takenNames: ReadonlySet<string>,
): ToolDefinition[] {
  const taken = new Set(takenNames);
  const definitions: ToolDefinition[] = [];
  for (const tool of tools) {
    if (definitions.length >= MAX_EXTERNAL_TOOLS) break;
    if (!TOOL_NAME.test(tool.name) || taken.has(tool.name)) continue;
    taken.add(tool.name);
    const schema =
      isObject(tool.inputSchema) && tool.inputSchema.type === 'object'
        ? tool.inputSchema
        : { type: 'object', properties: {} };
    definitions.push({
      name: tool.name,
      description: tool.description.slice(0, MAX_DESCRIPTION_CHARS),
      input_schema: schema,
    });
  }
  return definitions;
}

/** The text of a tool result's parts (text parts carry a string `value`), capped at `maxChars` with a note. */
export function externalResultText(parts: readonly unknown[], maxChars: number): string {
  const texts = parts.map((p) => (isObject(p) && typeof p.value === 'string' ? p.value : undefined));
  const skipped = texts.filter((t) => t === undefined).length;
  const text = texts.filter((t): t is string => t !== undefined).join('\n');
  const note = skipped > 0 ? `\n[${skipped} non-text part${skipped === 1 ? '' : 's'} left out]` : '';
  if (text === '' && skipped === 0) return '(The tool returned nothing.)';
  if (text.length + note.length <= maxChars) return `${text}${note}`;
  const kept = Math.max(0, maxChars - note.length - 60);
  return `${text.slice(0, kept)}\n[${text.length - kept} characters left out]${note}`;
}

/** How calls to external tools are made: confirmed by the user first, then invoked, results capped. */
export interface ExternalToolPort {
  /** Asks the user to allow this exact call; only true runs it. */
  readonly confirm: (name: string, input: object) => Promise<boolean>;
  readonly invoke: InvokeExternalTool;
  readonly maxResultChars: number;
}

/**
 * An executor that sends calls naming an offered external tool to the port, once the user allowed
 * that call (a tool result or file read earlier in the run must not be able to trigger one unseen),
 * and every other call to `workspace` (which answers an unknown name with an error result).
 * External failures become error results too: the model reads them and may try again differently.
 */
export function withExternalTools(
  workspace: ToolExecutor,
  offered: readonly ToolDefinition[],
  port: ExternalToolPort,
): ToolExecutor {
  const names = new Set(offered.map((t) => t.name));
  return async (name, input, signal) => {
    if (!names.has(name)) return workspace(name, input, signal);
    if (!isObject(input)) return toolError(`Invalid input for ${name}: expected an object.`);
    const { confirm, invoke, maxResultChars } = port;
    try {
      if (!(await confirm(name, input))) return toolError('The user declined to run this tool.');
      return toolText(externalResultText(await invoke(name, input, signal), maxResultChars));
    } catch (error) {
      return toolError(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
