import type {
  Clock,
  FailureReason,
  Lane,
  MessageParam,
  MessageRequest,
  RequestHandle,
  RequestResult,
  SubmitOptions,
  TextBlock,
  ToolDefinition,
  ToolUseBlock,
  Usage,
} from '../../pacer/index';
import type { Localize } from '../../status/model/localize';
import type { RequestWait } from '../../status/model/waitDescription';
import type { ToolOutcome } from './toolContext';

/** A step's result: the scheduler's, with the reply's blocks when it completed. */
export type StepResult = RequestResult & { readonly content?: readonly (TextBlock | ToolUseBlock)[] };

/** Submits one step to the engine's scheduler and hands back its reply's blocks (PacerService.submitForContent). */
export interface StepSender {
  submitForContent(options: SubmitOptions): {
    readonly handle: RequestHandle;
    readonly result: Promise<StepResult>;
  };
}

/** Limits of one run; the run stops with a clear reason when one is reached. */
export interface AgentBudget {
  /** Requests the run may send. */
  readonly maxSteps: number;
  /** Input tokens the run may draw from the input-token limit (cache reads left out where they do not count); checked before each step. */
  readonly maxInputTokens: number;
  /**
   * The most input tokens one step may carry (the model's context, or a bucket's capacity): older
   * tool results are compacted to fit. A function is asked again before each step, so limits the
   * scheduler learns during the run apply.
   */
  readonly contextTokens: number | (() => number);
}

/** Everything one agent run needs. */
export interface AgentRunOptions {
  readonly model: string;
  readonly maxTokens: number;
  readonly system?: string;
  /** The user's request. */
  readonly task: string;
  readonly tools: readonly ToolDefinition[];
  readonly budget: AgentBudget;
  /** @default 'interactive' (the user watches the run) */
  readonly lane?: Lane;
  /** Names the run's requests in logs; never the prompt. @default 'Agent' */
  readonly label?: string;
  readonly sender: StepSender;
  readonly executeTool: (name: string, input: unknown, signal: AbortSignal) => Promise<ToolOutcome>;
  /** Estimates a request's input tokens before it is sent (estimateByCharacters). */
  readonly estimateInputTokens: (request: MessageRequest) => number;
  /** Whether cache reads count toward the input-token limit for this model (cacheReadsCountFor its class). */
  readonly cacheReadsCount: boolean;
  /** Marks prompt-cache breakpoints on the growing prefix. @default true */
  readonly promptCaching?: boolean;
  readonly clock: Clock;
  /** Words a waiting step's reason ("input tokens per minute"). @default ENGLISH */
  readonly t?: Localize;
  /** How often a waiting step's wait is described again. @default 1000 */
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: AgentEvent) => void;
}

/** What a run reports while it goes. */
export type AgentEvent =
  | { readonly type: 'step'; readonly step: number; readonly estimatedInputTokens: number }
  | { readonly type: 'waiting'; readonly step: number; readonly wait: RequestWait }
  | { readonly type: 'text'; readonly step: number; readonly delta: string }
  | {
      readonly type: 'tool_call';
      readonly step: number;
      readonly id: string;
      readonly name: string;
      readonly input: unknown;
    }
  | {
      readonly type: 'tool_result';
      readonly step: number;
      readonly id: string;
      readonly name: string;
      readonly isError: boolean;
    }
  | {
      readonly type: 'compacted';
      readonly step: number;
      readonly results: number;
      readonly estimatedInputTokens: number;
    }
  | {
      readonly type: 'step_done';
      readonly step: number;
      readonly usage: Usage;
      readonly inputTokensDrawn: number;
    };

/** Why a run stopped short of an answer on its own limits. */
export type BudgetStop = 'max_steps' | 'max_input_tokens' | 'context_full';

/** Why a run failed: the scheduler's reason, or the reply cut mid tool call, or a fault of the run itself. */
export type AgentFailure =
  | { readonly kind: 'request'; readonly reason: FailureReason }
  | { readonly kind: 'output_limit'; readonly message: string }
  | { readonly kind: 'internal'; readonly message: string };

/** What every outcome tells: steps sent, input tokens drawn, text so far, and the conversation. */
export interface RunTotals {
  readonly steps: number;
  readonly inputTokensDrawn: number;
  readonly outputTokens: number;
  /** The answer's text, or everything the run said before it ended (partial answers are kept). */
  readonly text: string;
  readonly messages: readonly MessageParam[];
}

/** How a run ended: exactly one per run. */
export type AgentOutcome = RunTotals &
  (
    | { readonly status: 'answered'; readonly stopReason: string | null }
    | { readonly status: 'stopped'; readonly reason: BudgetStop; readonly message: string }
    | { readonly status: 'failed'; readonly failure: AgentFailure }
    | { readonly status: 'cancelled' }
  );
