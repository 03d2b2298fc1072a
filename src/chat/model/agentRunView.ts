/**
 * An agent run as the chat page shows it inline: the task, a line per tool call, the step's wait
 * (what for and how long, with Retry now / Cancel), what Claude said so far, and how it ended.
 * Shared by host and page; the page accepts one only through {@link parseAgentRunView}.
 */
import { count, id, listOf, oneOf, record, str } from './protocolFields';

/** Where a run is: sending steps, waiting for the user's review, or ended. */
export type AgentRunStatus = 'running' | 'reviewing' | 'answered' | 'stopped' | 'failed' | 'cancelled';

/** Every run status, for validating untrusted input. */
export const AGENT_RUN_STATUSES: readonly AgentRunStatus[] = [
  'running',
  'reviewing',
  'answered',
  'stopped',
  'failed',
  'cancelled',
];

/** A step that waits for the scheduler: which, what for (in words) and the time left when the host sent it. */
export interface AgentWaitView {
  readonly step: number;
  readonly reason: string;
  readonly remainingMs?: number;
}

/** One agent run in the conversation. */
export interface AgentRunView {
  readonly id: string;
  readonly task: string;
  /** The chat message the run follows in the conversation (none: the conversation was empty). */
  readonly afterMessageId?: string;
  readonly status: AgentRunStatus;
  /** The step being sent now ("Step 3 is sending"), while the run goes. */
  readonly activity?: string;
  /** Progress so far, oldest first: "Step 1: list_files", "Step 3: read_file was refused or failed". */
  readonly lines: readonly string[];
  readonly wait?: AgentWaitView;
  /** What Claude said, partial when the run did not finish. */
  readonly text: string;
  /** How it ended and what landed, or what the review waits for. */
  readonly note?: string;
}

/** Most progress lines a view carries (older ones are dropped by the host). */
export const MAX_AGENT_LINES = 200;
/** Longest line, task, reason or note. */
export const MAX_AGENT_LABEL_CHARS = 4_000;
/** Longest text of a run. */
export const MAX_AGENT_TEXT_CHARS = 2_000_000;

function line(value: unknown): string | undefined {
  return str(value, MAX_AGENT_LABEL_CHARS);
}

function waitView(value: unknown): AgentWaitView | undefined {
  const m = record(value);
  if (!m) return undefined;
  const step = count(m['step']);
  const reason = str(m['reason'], MAX_AGENT_LABEL_CHARS, false);
  const remainingMs = m['remainingMs'] === undefined ? undefined : count(m['remainingMs']);
  if (step === undefined || reason === undefined) return undefined;
  if (m['remainingMs'] !== undefined && remainingMs === undefined) return undefined;
  return { step, reason, ...(remainingMs !== undefined ? { remainingMs } : {}) };
}

/** Validates one run view; undefined when any field is missing, of the wrong type or oversized. */
export function parseAgentRunView(value: unknown): AgentRunView | undefined {
  const m = record(value);
  if (!m) return undefined;
  const runId = id(m['id']);
  const task = str(m['task'], MAX_AGENT_TEXT_CHARS);
  const status = oneOf(m['status'], AGENT_RUN_STATUSES);
  const lines = listOf(m['lines'], MAX_AGENT_LINES, line);
  const text = str(m['text'], MAX_AGENT_TEXT_CHARS);
  if (runId === undefined || task === undefined || status === undefined || !lines || text === undefined)
    return undefined;
  const optional = {
    afterMessageId: m['afterMessageId'] === undefined ? undefined : id(m['afterMessageId']),
    activity: m['activity'] === undefined ? undefined : line(m['activity']),
    wait: m['wait'] === undefined ? undefined : waitView(m['wait']),
    note: m['note'] === undefined ? undefined : line(m['note']),
  };
  for (const [key, parsed] of Object.entries(optional))
    if (m[key] !== undefined && parsed === undefined) return undefined;
  return {
    id: runId,
    task,
    status,
    lines,
    text,
    ...(optional.afterMessageId !== undefined ? { afterMessageId: optional.afterMessageId } : {}),
    ...(optional.activity !== undefined ? { activity: optional.activity } : {}),
    ...(optional.wait !== undefined ? { wait: optional.wait } : {}),
    ...(optional.note !== undefined ? { note: optional.note } : {}),
  };
}
