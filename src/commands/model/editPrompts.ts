import type { MessageRequest } from '../../pacer/index';

/** The selection commands. */
export type SelectionTask = 'explain' | 'fix' | 'refactor' | 'document' | 'tests';

/** What a selection command knows about the editor. */
export interface SelectionContext {
  readonly languageId: string;
  readonly fileName: string;
  readonly code: string;
  /** Diagnostics inside the selection, "line N: message". */
  readonly diagnostics?: readonly string[];
  /** The user's instruction (Refactor). */
  readonly instruction?: string;
}

const SYSTEM =
  'You are Claude inside a code editor. Be precise and brief. When asked for code, answer with exactly one fenced code block containing the complete replacement for the given code, and nothing else.';

function fence(ctx: SelectionContext): string {
  const longest = Math.max(2, ...[...ctx.code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${ctx.languageId}\n${ctx.code}\n${ticks}`;
}

/** Whether the task's answer replaces the selection (shown as a diff) or is prose (shown as a document). */
export function isEditTask(task: SelectionTask): boolean {
  return task !== 'explain';
}

/** Builds the Messages request for a selection command. */
export function selectionRequest(
  task: SelectionTask,
  ctx: SelectionContext,
  model: string,
  maxTokens: number,
): MessageRequest {
  const where = `File: ${ctx.fileName} (${ctx.languageId})`;
  const ask: Record<SelectionTask, string> = {
    explain: 'Explain what this code does, how, and anything surprising. Use Markdown.',
    fix: `Fix the bugs in this code.${ctx.diagnostics && ctx.diagnostics.length > 0 ? ` The editor reports:\n${ctx.diagnostics.map((d) => `- ${d}`).join('\n')}` : ''} Return the corrected code.`,
    refactor: `Refactor this code: ${ctx.instruction ?? 'improve its structure without changing behaviour'}. Return the refactored code.`,
    document:
      'Add documentation comments to this code in the idiomatic style of its language. Return the code with the comments added, otherwise unchanged.',
    tests:
      'Write unit tests for this code using the most common test framework of its language. Return only the test code.',
  };
  return {
    model,
    maxTokens,
    system: SYSTEM,
    messages: [{ role: 'user', content: `${where}\n\n${fence(ctx)}\n\n${ask[task]}` }],
  };
}
