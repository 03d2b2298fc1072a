import { AgentRun } from '../../../src/agent/model/agentRun';
import { WORKSPACE_TOOLS } from '../../../src/agent/model/agentTools';
import type {
  AgentEvent,
  AgentOutcome,
  AgentRunOptions,
  StepResult,
  StepSender,
} from '../../../src/agent/model/agentTypes';
import { runTool } from '../../../src/agent/model/runTool';
import {
  estimateByCharacters,
  Scheduler,
  type Attempt,
  type AttemptOutcome,
  type Limits,
  type SubmitOptions,
  type TextBlock,
  type ToolUseBlock,
  type Transport,
  type Usage,
} from '../../../src/pacer/index';
import { ManualClock } from '../../support/manualClock';
import { drainTimers, flush } from '../../support/submitAndDrain';
import { MemoryWorkspace, toolContext } from './memoryWorkspace';

/** One scripted reply: text and tool calls, or a prepared outcome, or `hang` (answers only when aborted). */
export type ScriptedReply =
  | {
      readonly text?: string;
      readonly tools?: readonly { readonly name: string; readonly input: unknown }[];
      readonly stopReason?: string;
      readonly usage?: Partial<Usage>;
    }
  | { readonly outcome: AttemptOutcome }
  | { readonly hang: true; readonly partialText?: string };

function blocksOf(
  reply: { text?: string; tools?: readonly { name: string; input: unknown }[] },
  attempt: number,
): (TextBlock | ToolUseBlock)[] {
  const blocks: (TextBlock | ToolUseBlock)[] = [];
  if (reply.text !== undefined) blocks.push({ type: 'text', text: reply.text });
  (reply.tools ?? []).forEach((t, i) =>
    blocks.push({
      type: 'tool_use',
      id: `toolu_${attempt}_${i}`,
      name: t.name,
      input: t.input as Record<string, unknown>,
    }),
  );
  return blocks;
}

/** A transport answering each attempt with the next scripted reply (the last one repeats); it records every attempt. */
export class ReplyScriptTransport implements Transport {
  readonly attempts: Attempt[] = [];
  readonly #replies: readonly ScriptedReply[];

  constructor(replies: readonly ScriptedReply[]) {
    this.#replies = replies;
  }

  send(attempt: Attempt): Promise<AttemptOutcome> {
    this.attempts.push(attempt);
    const reply = this.#replies[Math.min(this.attempts.length - 1, this.#replies.length - 1)]!;
    if ('outcome' in reply) return Promise.resolve(reply.outcome);
    if ('hang' in reply) {
      if (reply.partialText !== undefined) attempt.onText(reply.partialText);
      return new Promise((resolve) => {
        const aborted = (): void =>
          resolve({
            kind: 'failure',
            error: { kind: 'aborted', message: 'aborted', midStream: false },
            partialText: reply.partialText ?? '',
          });
        if (attempt.signal.aborted) aborted();
        else attempt.signal.addEventListener('abort', aborted, { once: true });
      });
    }
    const content = blocksOf(reply, this.attempts.length);
    const text = reply.text ?? '';
    if (text !== '') attempt.onText(text);
    const usage: Usage = {
      inputTokens: 100,
      outputTokens: 10,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      ...reply.usage,
    };
    return Promise.resolve({
      kind: 'success',
      text,
      usage,
      stopReason: reply.stopReason ?? (reply.tools?.length ? 'tool_use' : 'end_turn'),
      headers: new Headers(),
      content,
    });
  }
}

/** What the rig saw: every submission (with the time it was made) and every event. */
export interface RigRecord {
  readonly submissions: { readonly options: SubmitOptions; readonly atMs: number }[];
  readonly events: AgentEvent[];
}

/**
 * A real Scheduler on a ManualClock with a scripted transport, and the sender the editor layer's
 * PacerService.submitForContent stands for: the completed result carries the attempt's blocks.
 */
export function agentRig(
  replies: readonly ScriptedReply[],
  limits: Limits = { requests: 600, inputTokens: 1e6, outputTokens: 1e6 },
) {
  const clock = new ManualClock();
  const transport = new ReplyScriptTransport(replies);
  const content = new Map<string, readonly (TextBlock | ToolUseBlock)[] | undefined>();
  const scheduler = new Scheduler({
    clock,
    random: () => 0.5,
    transport: {
      send: async (attempt) => {
        const outcome = await transport.send(attempt);
        if (outcome.kind === 'success') content.set(attempt.requestId, outcome.content);
        return outcome;
      },
    },
    options: { limits: { '*': limits }, maxInFlight: 4, probeFirst: false },
  });
  scheduler.setKeys([{ id: 'k1', label: 'key 1', last4: '0001' }]);
  const record: RigRecord = { submissions: [], events: [] };
  const sender: StepSender = {
    submitForContent(options) {
      record.submissions.push({ options, atMs: clock.now() });
      const handle = scheduler.submit(options);
      const result = handle.result.then((r): StepResult => {
        const blocks = content.get(handle.id);
        return r.status === 'completed' && blocks !== undefined ? { ...r, content: blocks } : r;
      });
      return { handle, result };
    },
  };
  const workspace = new MemoryWorkspace({
    'src/a.ts': 'export function greet() {}\n',
    'src/b.ts': 'greet();\n',
    '/work/outside.txt': 'OUTSIDE',
  });
  const tools = toolContext(workspace);

  /** An agent run over this rig; options override the defaults (generous budget, the workspace tools). */
  function newRun(options: Partial<AgentRunOptions> = {}): AgentRun {
    return new AgentRun({
      model: 'claude-sonnet-4-6',
      maxTokens: 1000,
      task: 'Rename greet to welcome.',
      tools: WORKSPACE_TOOLS,
      budget: { maxSteps: 20, maxInputTokens: 1e6, contextTokens: 1e6 },
      sender,
      executeTool: (name, input) => runTool(name, input, tools),
      estimateInputTokens: estimateByCharacters,
      cacheReadsCount: false,
      clock,
      onEvent: (event) => record.events.push(event),
      ...options,
    });
  }

  /** Runs to the outcome, moving the clock timer by timer. */
  async function runToEnd(run: AgentRun): Promise<AgentOutcome> {
    const done = run.run();
    let outcome: AgentOutcome | undefined;
    void done.then((o) => (outcome = o));
    for (let i = 0; i < 2000 && outcome === undefined; i++)
      if (clock.nextDueMs() === undefined) await flush();
      else await drainTimers(clock, { maxTimers: 1 });
    return done;
  }

  return { clock, transport, scheduler, sender, record, workspace, tools, newRun, runToEnd };
}
