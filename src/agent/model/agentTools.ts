import type { ToolDefinition } from '../../pacer/index';

/** The names of the workspace tools an agent run offers. */
export const TOOL_NAMES = {
  listFiles: 'list_files',
  readFile: 'read_file',
  searchText: 'search_text',
  diagnostics: 'get_diagnostics',
  createFile: 'create_file',
  replaceLines: 'replace_lines',
  deleteFile: 'delete_file',
  runCommand: 'run_command',
} as const;

/** One of {@link TOOL_NAMES}. */
export type ToolName = (typeof TOOL_NAMES)[keyof typeof TOOL_NAMES];

const path = { type: 'string', description: 'A path relative to the workspace root, with forward slashes.' };
const line = (what: string): Record<string, unknown> => ({ type: 'integer', minimum: 1, description: what });

/**
 * The tools' definitions as the Messages API takes them. Edits are proposals: they gather into one
 * change set the user reviews, so the descriptions say nothing is written until then.
 */
export const WORKSPACE_TOOLS: readonly ToolDefinition[] = [
  {
    name: TOOL_NAMES.listFiles,
    description:
      'List files in the workspace whose path matches a glob (e.g. "src/**/*.ts"). Honours .gitignore and files.exclude.',
    input_schema: {
      type: 'object',
      properties: {
        glob: { type: 'string', description: 'A glob relative to the workspace root.' },
        maxResults: {
          type: 'integer',
          minimum: 1,
          maximum: 500,
          description: 'At most this many paths (default 200).',
        },
      },
      required: ['glob'],
    },
  },
  {
    name: TOOL_NAMES.readFile,
    description:
      'Read a text file, or a range of its lines. Lines come numbered ("12: text"). Large files are cut: ask for a line range.',
    input_schema: {
      type: 'object',
      properties: {
        path,
        startLine: line('First line to read (1-based).'),
        endLine: line('Last line to read (inclusive).'),
      },
      required: ['path'],
    },
  },
  {
    name: TOOL_NAMES.searchText,
    description:
      'Search the workspace for text (or a regular expression); returns matching lines with their paths and line numbers.',
    input_schema: {
      type: 'object',
      properties: {
        query: { type: 'string' },
        isRegex: { type: 'boolean', description: 'Treat the query as a regular expression (default false).' },
        glob: { type: 'string', description: 'Only files matching this glob.' },
        maxResults: {
          type: 'integer',
          minimum: 1,
          maximum: 200,
          description: 'At most this many matches (default 50).',
        },
      },
      required: ['query'],
    },
  },
  {
    name: TOOL_NAMES.diagnostics,
    description: 'The current errors and warnings (of one file, or of the whole workspace).',
    input_schema: { type: 'object', properties: { path } },
  },
  {
    name: TOOL_NAMES.createFile,
    description: 'Propose a new file. Nothing is written until the user accepts the change set.',
    input_schema: {
      type: 'object',
      properties: { path, content: { type: 'string' } },
      required: ['path', 'content'],
    },
  },
  {
    name: TOOL_NAMES.replaceLines,
    description:
      'Propose replacing lines startLine..endLine (inclusive) of a file with newText (empty newText deletes them; ' +
      'endLine = startLine - 1 inserts before startLine). Line numbers refer to the file as read_file shows it, with ' +
      'your earlier proposals applied. Nothing is written until the user accepts the change set.',
    input_schema: {
      type: 'object',
      properties: {
        path,
        startLine: line('First line to replace (1-based).'),
        endLine: { type: 'integer', minimum: 0, description: 'Last line to replace (inclusive).' },
        newText: { type: 'string' },
      },
      required: ['path', 'startLine', 'endLine', 'newText'],
    },
  },
  {
    name: TOOL_NAMES.deleteFile,
    description: 'Propose deleting a file. Nothing is deleted until the user accepts the change set.',
    input_schema: { type: 'object', properties: { path }, required: ['path'] },
  },
  {
    name: TOOL_NAMES.runCommand,
    description:
      'Run a shell command in the workspace after the user confirms it; returns its exit code and (capped) output.',
    input_schema: {
      type: 'object',
      properties: {
        command: { type: 'string' },
        cwd: { type: 'string', description: 'A folder relative to the workspace root (default the root).' },
      },
      required: ['command'],
    },
  },
];
