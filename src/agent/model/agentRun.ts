import type {
  MessageParam,
  MessageRequest,
  RequestHandle,
  TextBlock,
  ToolResultBlock,
  ToolUseBlock,
  Usage,
} from '../../pacer/index';
import { requestWaitFrom } from '../../status/model/waitDescription';
import { compactOldestToolResult, withCacheBreakpoints } from './agentConversation';
import type {
  AgentEvent,
  AgentOutcome,
  AgentRunOptions,
  BudgetStop,
  RunTotals,
  StepResult,
} from './agentTypes';
import type { ToolOutcome } from './toolContext';

const DEFAULT_PROGRESS_INTERVAL_MS = 1000;

/** Thrown inside a run when its signal fires; the run ends as cancelled. */
class RunCancelled extends Error {}

/** Ends with `promise`, or rejects with RunCancelled as soon as `signal` fires (a tool that ignores the signal cannot hold the run). */
function unlessCancelled<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new RunCancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new RunCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Input tokens a step drew from the input-token limit: fresh and cache writes, and cache reads where they count. */
function drawnBy(usage: Usage, cacheReadsCount: boolean): number {
  return (
    usage.inputTokens + usage.cacheCreationInputTokens + (cacheReadsCount ? usage.cacheReadInputTokens : 0)
  );
}

/**
 * One agent run: each step is one request through the scheduler; a reply that calls tools gets
 * their results in the next step, until Claude answers, a budget stops the run, a step fails, or
 * the signal cancels it. Pure: the scheduler, the tools and the clock come in through the options.
 * A failed or cancelled step is never sent again, so nothing is re-sent after output.
 */
export class AgentRun {
  readonly #options: AgentRunOptions;
  readonly #abort = new AbortController();
  #messages: MessageParam[];
  #steps = 0;
  #drawn = 0;
  #output = 0;
  #text = '';
  #outcome: Promise<AgentOutcome> | undefined;
  /** Messages the previous step sent: its cache breakpoint sits on the last of them. */
  #previousEnd = 0;

  constructor(options: AgentRunOptions) {
    this.#options = options;
    this.#messages = [{ role: 'user', content: [{ type: 'text', text: options.task }] }];
    if (options.signal?.aborted) this.#abort.abort();
    else options.signal?.addEventListener('abort', () => this.#abort.abort(), { once: true });
  }

  /** Cancels the run: a waiting or streaming step is cancelled and no tool result is sent. */
  cancel(): void {
    this.#abort.abort();
  }

  /** Runs to its one outcome; never rejects. Calling it again returns the same outcome: a run never starts twice. */
  run(): Promise<AgentOutcome> {
    this.#outcome ??= this.#settle();
    return this.#outcome;
  }

  async #settle(): Promise<AgentOutcome> {
    try {
      return await this.#loop();
    } catch (error) {
      if (error instanceof RunCancelled || this.#abort.signal.aborted)
        return { ...this.#totals(), status: 'cancelled' };
      return { ...this.#totals(), status: 'failed', failure: { kind: 'internal', message: String(error) } };
    }
  }

  async #loop(): Promise<AgentOutcome> {
    const { budget } = this.#options;
    for (;;) {
      if (this.#abort.signal.aborted) throw new RunCancelled();
      if (this.#steps >= budget.maxSteps)
        return this.#stopped('max_steps', `The run reached its limit of ${budget.maxSteps} steps.`);
      if (this.#drawn >= budget.maxInputTokens)
        return this.#stopped(
          'max_input_tokens',
          `The run used its budget of ${budget.maxInputTokens} input tokens.`,
        );
      const limit = budget.contextTokens;
      const contextTokens = typeof limit === 'number' ? limit : limit();
      const request = this.#fittedRequest(contextTokens);
      if (request === undefined)
        return this.#stopped(
          'context_full',
          `The next step does not fit ${contextTokens} input tokens, even with old tool results compacted.`,
        );
      const result = await this.#send(request.request, request.estimate);
      if (result.status === 'cancelled') {
        this.#addText(result.partialText);
        throw new RunCancelled();
      }
      if (result.status === 'failed') {
        this.#addText(result.partialText);
        return { ...this.#totals(), status: 'failed', failure: { kind: 'request', reason: result.reason } };
      }
      const content: readonly (TextBlock | ToolUseBlock)[] = result.content ?? [
        { type: 'text', text: result.text },
      ];
      this.#addText(result.text);
      this.#previousEnd = this.#messages.length;
      this.#messages = [...this.#messages, { role: 'assistant', content }];
      const calls = content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
      if (calls.length > 0 && result.stopReason === 'max_tokens')
        return {
          ...this.#totals(),
          status: 'failed',
          failure: {
            kind: 'output_limit',
            message: 'The reply reached its output limit in the middle of a tool call.',
          },
        };
      if (calls.length === 0 || result.stopReason !== 'tool_use')
        return { ...this.#totals(), status: 'answered', stopReason: result.stopReason };
      const results: ToolResultBlock[] = [];
      for (const call of calls) results.push(await this.#callTool(call));
      if (this.#abort.signal.aborted) throw new RunCancelled();
      this.#messages = [...this.#messages, { role: 'user', content: results }];
    }
  }

  /** The next request, with old tool results compacted until its estimate fits the context budget; undefined when it cannot fit. */
  #fittedRequest(contextTokens: number): { request: MessageRequest; estimate: number } | undefined {
    let compacted = 0;
    for (;;) {
      const request = this.#request();
      const estimate = this.#options.estimateInputTokens(request);
      if (estimate <= contextTokens) {
        if (compacted > 0)
          this.#emit({
            type: 'compacted',
            step: this.#steps + 1,
            results: compacted,
            estimatedInputTokens: estimate,
          });
        return { request, estimate };
      }
      const smaller = compactOldestToolResult(this.#messages);
      if (smaller === undefined) return undefined;
      this.#messages = smaller;
      compacted++;
    }
  }

  #request(): MessageRequest {
    const { model, maxTokens, system, tools } = this.#options;
    return {
      model,
      maxTokens,
      messages:
        this.#options.promptCaching === false
          ? this.#messages
          : withCacheBreakpoints(this.#messages, this.#previousEnd),
      ...(system !== undefined && { system }),
      tools,
    };
  }

  async #send(request: MessageRequest, estimate: number): Promise<StepResult> {
    const step = ++this.#steps;
    this.#emit({ type: 'step', step, estimatedInputTokens: estimate });
    const { handle, result } = this.#options.sender.submitForContent({
      request,
      lane: this.#options.lane ?? 'interactive',
      signal: this.#abort.signal,
      label: `${this.#options.label ?? 'Agent'} step ${step}`,
      onText: (delta) => this.#emit({ type: 'text', step, delta }),
    });
    const stopWatching = this.#watchWait(step, handle);
    try {
      const outcome = await result;
      if (outcome.status === 'completed') {
        const drawn = drawnBy(outcome.usage, this.#options.cacheReadsCount);
        this.#drawn += drawn;
        this.#output += outcome.usage.outputTokens;
        this.#emit({ type: 'step_done', step, usage: outcome.usage, inputTokensDrawn: drawn });
      }
      return outcome;
    } finally {
      stopWatching();
    }
  }

  /** Reports the step's wait (what for, how long: the one wait describer every surface uses) now and every interval while it is queued. */
  #watchWait(step: number, handle: RequestHandle): () => void {
    const { clock } = this.#options;
    const interval = this.#options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    let isDone = false;
    const tick = (): void => {
      if (isDone) return;
      const wait = requestWaitFrom(handle.progress(), clock.now(), this.#options.t);
      if (wait !== undefined) this.#emit({ type: 'waiting', step, wait });
      timer = clock.setTimer(tick, interval);
    };
    let timer = clock.setTimer(tick, 0);
    return () => {
      isDone = true;
      clock.clearTimer(timer);
    };
  }

  async #callTool(call: ToolUseBlock): Promise<ToolResultBlock> {
    if (this.#abort.signal.aborted) throw new RunCancelled();
    const step = this.#steps;
    this.#emit({ type: 'tool_call', step, id: call.id, name: call.name, input: call.input });
    let outcome: ToolOutcome;
    try {
      outcome = await unlessCancelled(
        this.#options.executeTool(call.name, call.input, this.#abort.signal),
        this.#abort.signal,
      );
    } catch (error) {
      if (error instanceof RunCancelled) throw error;
      outcome = {
        isError: true,
        content: `${call.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    this.#emit({ type: 'tool_result', step, id: call.id, name: call.name, isError: outcome.isError });
    return {
      type: 'tool_result',
      tool_use_id: call.id,
      content: outcome.content,
      ...(outcome.isError && { is_error: true }),
    };
  }

  /** Keeps what a step said; steps' texts are separated by a blank line. */
  #addText(text: string): void {
    if (text === '') return;
    this.#text = this.#text === '' ? text : `${this.#text}\n\n${text}`;
  }

  #stopped(reason: BudgetStop, message: string): AgentOutcome {
    return { ...this.#totals(), status: 'stopped', reason, message };
  }

  #totals(): RunTotals {
    return {
      steps: this.#steps,
      inputTokensDrawn: this.#drawn,
      outputTokens: this.#output,
      text: this.#text,
      messages: this.#messages,
    };
  }

  #emit(event: AgentEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // A listener's fault must not end the run, or end it twice.
    }
  }
}
