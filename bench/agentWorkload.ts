import type { ReplyScript } from '../sim/config';
import { TOOL_NAMES } from '../src/agent/model/agentTools';
import type { Usage } from '../src/pacer/index';

/** The `agent` scenario's shape: concurrent runs, steps per run, and what each tool result adds to the context. */
export const AGENT_WORKLOAD = {
  runs: 5,
  /** Steps (requests) of a run that answers: every step but the last reads a file. */
  steps: 10,
  /** Input tokens each read_file result adds to the growing context (the simulator counts chars / 4). */
  fileTokens: 1_500,
} as const;

/** The task of run `index` (0-based): its marker picks the run's script on the simulator. */
export function agentTask(index: number): string {
  return `Task ${index + 1}: read the pacer modules one by one, then say what the scheduler does.`;
}

const fileOf = (run: number, step: number): string => `src/run${run + 1}/module${step + 1}.ts`;

/** The simulator's script of run `index`: `steps - 1` replies that each read one file, then the answer. */
export function agentScript(index: number, steps: number = AGENT_WORKLOAD.steps): ReplyScript {
  return {
    match: `Task ${index + 1}:`,
    steps: [
      ...Array.from({ length: steps - 1 }, (_, step) => ({
        toolUses: [{ name: TOOL_NAMES.readFile, input: { path: fileOf(index, step) } }],
      })),
      { text: 'The scheduler paces every request within the limits.', toolUses: [] },
    ],
  };
}

/**
 * The text a bench tool call returns: `tokens` tokens of a deterministic source file named after
 * the call's input (the same for both strategies, so both grow the same context).
 */
export function toolResultText(input: unknown, tokens: number = AGENT_WORKLOAD.fileTokens): string {
  const path =
    typeof input === 'object' && input !== null && typeof (input as { path?: unknown }).path === 'string'
      ? (input as { path: string }).path
      : 'unknown';
  const line = `// ${path}: export const value = 42;\n`;
  return line.repeat(Math.ceil((tokens * 4) / line.length)).slice(0, tokens * 4);
}

/** Input tokens of one step: as the limit counts them (cache reads left out where they do not count), and all the server saw. */
export interface StepTokens {
  readonly drawn: number;
  readonly seen: number;
}

/** Splits a step's usage into what the input-token limit counted and every input token the server saw. */
export function stepTokensOf(usage: Usage, cacheReadsCount: boolean): StepTokens {
  const written = usage.inputTokens + usage.cacheCreationInputTokens;
  return {
    drawn: written + (cacheReadsCount ? usage.cacheReadInputTokens : 0),
    seen: written + usage.cacheReadInputTokens,
  };
}
