import { TOOL_NAMES, type ToolName } from './agentTools';
import { runCommand } from './commandTool';
import { createFile, deleteFile, replaceLines } from './editTools';
import { getDiagnostics, listFiles, readFile, searchText } from './readTools';
import { toolError, type ToolContext, type ToolOutcome } from './toolContext';
import { ToolInputError } from './toolInput';

type Executor = (input: unknown, context: ToolContext) => Promise<ToolOutcome>;

const EXECUTORS: Readonly<Record<ToolName, Executor>> = {
  [TOOL_NAMES.listFiles]: listFiles,
  [TOOL_NAMES.readFile]: readFile,
  [TOOL_NAMES.searchText]: searchText,
  [TOOL_NAMES.diagnostics]: getDiagnostics,
  [TOOL_NAMES.createFile]: createFile,
  [TOOL_NAMES.replaceLines]: replaceLines,
  [TOOL_NAMES.deleteFile]: deleteFile,
  [TOOL_NAMES.runCommand]: runCommand,
};

function isToolName(name: string): name is ToolName {
  return Object.hasOwn(EXECUTORS, name);
}

/**
 * Runs one tool call and never throws: an unknown tool, input that does not fit the schema, a
 * refused path or a failing port all become an error result the model reads.
 */
export async function runTool(name: string, input: unknown, context: ToolContext): Promise<ToolOutcome> {
  if (!isToolName(name)) return toolError(`There is no tool named ${JSON.stringify(name)}.`);
  try {
    return await EXECUTORS[name](input, context);
  } catch (error) {
    if (error instanceof ToolInputError) return toolError(`Invalid input for ${name}: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    return toolError(`${name} failed: ${message}`);
  }
}
