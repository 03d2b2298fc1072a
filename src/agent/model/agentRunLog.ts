import type { AgentRunStatus, AgentRunView, AgentWaitView } from '../../chat/model/agentRunView';
import { MAX_AGENT_LINES } from '../../chat/model/agentRunView';
import { ENGLISH, type Localize } from '../../status/model/localize';
import { describeAgentEvent } from './agentProgress';
import type { AgentEvent } from './agentTypes';

/** A wait's countdown target moving by less than this is not worth showing again (the page counts down itself). */
const WAIT_TARGET_SLACK_MS = 1_000;

/** Who the run is and where it sits in the conversation. */
export interface AgentRunLogOptions {
  readonly id: string;
  readonly task: string;
  readonly afterMessageId?: string;
  /** @default ENGLISH */
  readonly t?: Localize;
}

/**
 * Folds an agent run's progress events into what the chat shows inline ({@link AgentRunView}):
 * a line per tool call, refusal and compaction, the step being sent, the step's wait while it
 * waits, and the text so far. Says when the view changed enough to be shown again: a wait whose
 * countdown only ticks on is not (the page counts down from the time left it was given).
 */
export class AgentRunLog {
  readonly #options: AgentRunLogOptions;
  readonly #t: Localize;
  #status: AgentRunStatus = 'running';
  #lines: string[] = [];
  #activity: string | undefined;
  #wait: { readonly view: AgentWaitView; readonly targetMs: number | undefined } | undefined;
  #text = '';
  #textStep = 0;
  #note: string | undefined;

  constructor(options: AgentRunLogOptions) {
    this.#options = options;
    this.#t = options.t ?? ENGLISH;
  }

  /** The run's id. */
  get id(): string {
    return this.#options.id;
  }

  /** Whether the run still sends steps. */
  get isRunning(): boolean {
    return this.#status === 'running';
  }

  /** Applies one progress event at `nowMs`; true when the view changed enough to be shown again. */
  apply(event: AgentEvent, nowMs: number): boolean {
    if (this.#status !== 'running') return false;
    switch (event.type) {
      case 'waiting':
        return this.#waiting(event, nowMs);
      case 'text':
        this.#wait = undefined;
        // Steps' texts are apart by a blank line, as in the run's outcome.
        if (this.#textStep !== event.step && this.#text !== '' && event.delta !== '') this.#text += '\n\n';
        if (event.delta !== '') this.#textStep = event.step;
        this.#text += event.delta;
        return true;
      case 'step':
        this.#wait = undefined;
        this.#activity = describeAgentEvent(event, nowMs, this.#t);
        return true;
      case 'step_done':
        this.#wait = undefined;
        this.#activity = undefined;
        return true;
      case 'tool_call':
      case 'tool_result':
      case 'compacted': {
        const line = describeAgentEvent(event, nowMs, this.#t);
        if (line === undefined) return false;
        this.#lines = [...this.#lines, line].slice(-MAX_AGENT_LINES);
        return true;
      }
    }
  }

  /** The run sent its last step and its change set waits for the user's review (`note` says how). */
  reviewing(note: string): void {
    this.#settle('reviewing', note);
  }

  /** The run ended (review included): its status, its whole text (partial when it did not finish) and one sentence of how. */
  end(status: Exclude<AgentRunStatus, 'running' | 'reviewing'>, text: string, note: string): void {
    this.#settle(status, note);
    this.#text = text;
  }

  /** The view to show now. */
  get view(): AgentRunView {
    const { id, task, afterMessageId } = this.#options;
    return {
      id,
      task,
      status: this.#status,
      lines: this.#lines,
      text: this.#text,
      ...(afterMessageId !== undefined ? { afterMessageId } : {}),
      ...(this.#activity !== undefined ? { activity: this.#activity } : {}),
      ...(this.#wait !== undefined ? { wait: this.#wait.view } : {}),
      ...(this.#note !== undefined ? { note: this.#note } : {}),
    };
  }

  #waiting(event: Extract<AgentEvent, { type: 'waiting' }>, nowMs: number): boolean {
    const { remainingMs, reason } = event.wait;
    const view: AgentWaitView = {
      step: event.step,
      reason,
      ...(remainingMs !== undefined ? { remainingMs } : {}),
    };
    const targetMs = remainingMs === undefined ? undefined : nowMs + remainingMs;
    const shown = this.#wait;
    const isChanged =
      shown === undefined ||
      shown.view.step !== view.step ||
      shown.view.reason !== reason ||
      (shown.targetMs === undefined || targetMs === undefined
        ? shown.targetMs !== targetMs
        : Math.abs(shown.targetMs - targetMs) >= WAIT_TARGET_SLACK_MS);
    // Compared with what was last shown, so small moves cannot add up unseen.
    if (isChanged) this.#wait = { view, targetMs };
    return isChanged;
  }

  #settle(status: AgentRunStatus, note: string): void {
    this.#status = status;
    this.#note = note;
    this.#wait = undefined;
    this.#activity = undefined;
  }
}
