import { setMaxListeners } from 'node:events';
import Anthropic from '@anthropic-ai/sdk';
import { mulberry32 } from '../sim/random';
import { AgentRun } from '../src/agent/model/agentRun';
import { WORKSPACE_TOOLS } from '../src/agent/model/agentTools';
import type { StepResult } from '../src/agent/model/agentTypes';
import { stepContextTokens } from '../src/agent/model/stepContext';
import {
  cacheReadsCountFor,
  createSystemClock,
  estimateByCharacters,
  modelClassOf,
  type TextBlock,
  type ToolUseBlock,
} from '../src/pacer/index';
import { DEFAULT_SETTINGS, TIER_PRESETS } from '../src/settings/model/settings';
import { AGENT_WORKLOAD, agentScript, agentTask, stepTokensOf, toolResultText } from './agentWorkload';
import { AttemptLog } from './attemptLog';
import { spread, type Spread } from './metrics';
import { knownLimitsOf, simConfigOf, type Scenario } from './scenarios';
import { startSimHost } from './simHost';
import { startOurScheduler } from './strategies/ours';
import type { StrategyContext } from './types';

const SONNET = 'claude-sonnet-4-6';
const MAX_TOKENS = 1_024;
const TIER1 = TIER_PRESETS.tier1;
/** Tier-1 rates times SCALE with buckets of 60 / SCALE s: a minute of tier 1 passes in 6 s. */
const SCALE = 10;
/** Runs still going this long after the start count as unfinished. */
const DEADLINE_MS = 60_000;
const SYSTEM =
  "You are a coding agent in the user's VS Code workspace. Use the tools to look before you change anything.";

/** Scenario 13: five agent runs at once on tier-1 limits (scaled to a 6 s minute). */
export const AGENT: Scenario = {
  name: 'agent',
  title: `13. Agent runs: ${AGENT_WORKLOAD.runs} concurrent runs of ${AGENT_WORKLOAD.steps} steps, each step adding a ${AGENT_WORKLOAD.fileTokens.toLocaleString('en-US')}-token file to the context; tier-1 limits (50 RPM, 30,000 ITPM, 8,000 OTPM) scaled ×${SCALE}: a minute in ${60 / SCALE} s; Sonnet 4.6 (cache reads not counted)`,
  organizations: 1,
  keysPerOrganization: 1,
  models: [SONNET],
  limits: {
    requestsPerMinute: TIER1.requests! * SCALE,
    inputTokensPerMinute: TIER1.inputTokens! * SCALE,
    outputTokensPerMinute: TIER1.outputTokens! * SCALE,
  },
  minuteSec: 60 / SCALE,
  workload: { seed: 20_261_207, maxTokens: MAX_TOKENS, groups: [] },
};

/** How one run ended, with its token figures. */
interface RunResult {
  readonly isAnswered: boolean;
  readonly stepsDone: number;
  readonly stepsFailed: number;
  readonly drawn: number;
  readonly seen: number;
  readonly endMs: number;
}

/** The figures of one strategy in the agent scenario. */
export interface AgentRow {
  readonly scenario: 'agent';
  readonly strategy: string;
  readonly runs: number;
  readonly answered: number;
  readonly stepsDone: number;
  /** Steps sent that ended failed (after the strategy's own retries) or were cut by the deadline. */
  readonly stepsFailed: number;
  readonly status429: number;
  /** Requests the server received, retries included. */
  readonly requests: number;
  /** From the start to each run's end. */
  readonly runEndMs: Spread;
  /** Input tokens drawn from the input-token limit (cache reads left out: they do not count for the class). */
  readonly inputTokensDrawn: number;
  /** Every input token the steps carried: what the limit would have drawn without the cache. */
  readonly inputTokensSeen: number;
  readonly wallMs: number;
}

type RunAgent = (index: number, startMs: number) => Promise<RunResult>;

/** Ours: the extension's agent loop (cache breakpoints, compaction, budgets) through our scheduler on the interactive lane. */
function oursRunner(ctx: StrategyContext): RunAgent {
  const content = new Map<string, readonly (TextBlock | ToolUseBlock)[]>();
  const { scheduler } = startOurScheduler(
    ctx,
    {},
    () => undefined,
    (attempt, outcome) => {
      if (outcome.kind === 'success' && outcome.content !== undefined)
        content.set(attempt.requestId, outcome.content);
    },
  );
  const cacheReadsCount = cacheReadsCountFor(modelClassOf(SONNET));
  return async (index, startMs) => {
    let drawn = 0;
    let seen = 0;
    const run = new AgentRun({
      model: SONNET,
      maxTokens: MAX_TOKENS,
      system: SYSTEM,
      task: agentTask(index),
      tools: WORKSPACE_TOOLS,
      budget: {
        maxSteps: DEFAULT_SETTINGS['agent.maxSteps'],
        maxInputTokens: DEFAULT_SETTINGS['agent.maxInputTokens'],
        contextTokens: () => stepContextTokens(scheduler.snapshot(), modelClassOf(SONNET), MAX_TOKENS),
      },
      sender: {
        submitForContent: (options) => {
          const handle = scheduler.submit(options);
          const result = handle.result.then((r): StepResult => {
            const blocks = content.get(handle.id);
            content.delete(handle.id);
            return r.status === 'completed' && blocks !== undefined ? { ...r, content: blocks } : r;
          });
          return { handle, result };
        },
      },
      executeTool: (_name, input) => Promise.resolve({ isError: false, content: toolResultText(input) }),
      estimateInputTokens: estimateByCharacters,
      cacheReadsCount,
      clock: createSystemClock(),
      signal: ctx.signal,
      onEvent: (event) => {
        if (event.type !== 'step_done') return;
        const tokens = stepTokensOf(event.usage, cacheReadsCount);
        drawn += tokens.drawn;
        seen += tokens.seen;
      },
    });
    const outcome = await run.run();
    const isAnswered = outcome.status === 'answered';
    return {
      isAnswered,
      stepsDone: outcome.steps - (isAnswered || outcome.status === 'stopped' ? 0 : 1),
      stepsFailed: isAnswered || outcome.status === 'stopped' ? 0 : 1,
      drawn,
      seen,
      endMs: Date.now() - startMs,
    };
  };
}

/** The peer: the same conversation, each step one `messages.create` of `new Anthropic()` (maxRetries 2), no pacing, no cache_control. */
function sdkRunner(ctx: StrategyContext): RunAgent {
  const client = new Anthropic({
    apiKey: ctx.known.organizations[0]![0]!,
    baseURL: ctx.baseUrl,
    logLevel: 'off',
  });
  const tools = WORKSPACE_TOOLS.map((t) => ({
    ...t,
    input_schema: t.input_schema as Anthropic.Tool.InputSchema,
  }));
  return async (index, startMs) => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: agentTask(index) }];
    let drawn = 0;
    let stepsDone = 0;
    for (;;) {
      let reply: Anthropic.Message;
      try {
        reply = await client.messages.create(
          { model: SONNET, max_tokens: MAX_TOKENS, system: SYSTEM, tools, messages },
          { signal: ctx.signal },
        );
      } catch {
        return {
          isAnswered: false,
          stepsDone,
          stepsFailed: 1,
          drawn,
          seen: drawn,
          endMs: Date.now() - startMs,
        };
      }
      stepsDone++;
      drawn += reply.usage.input_tokens + (reply.usage.cache_creation_input_tokens ?? 0);
      messages.push({ role: 'assistant', content: reply.content });
      const calls = reply.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (calls.length === 0 || reply.stop_reason !== 'tool_use')
        return {
          isAnswered: true,
          stepsDone,
          stepsFailed: 0,
          drawn,
          seen: drawn,
          endMs: Date.now() - startMs,
        };
      messages.push({
        role: 'user',
        content: calls.map((c) => ({
          type: 'tool_result',
          tool_use_id: c.id,
          content: toolResultText(c.input),
        })),
      });
    }
  };
}

/** The clients compared, in table order. */
const RUNNERS: ReadonlyArray<{ name: string; start: (ctx: StrategyContext) => RunAgent }> = [
  { name: 'ours', start: oursRunner },
  { name: 'sdk-defaults', start: sdkRunner },
];

/** Names of the strategies the agent scenario runs. */
export const AGENT_STRATEGIES: readonly string[] = RUNNERS.map((r) => r.name);

async function runOne(name: string, start: (ctx: StrategyContext) => RunAgent): Promise<AgentRow> {
  const config = {
    ...simConfigOf(AGENT),
    scripts: Array.from({ length: AGENT_WORKLOAD.runs }, (_, i) => agentScript(i)),
  };
  const sim = await startSimHost(config);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const deadline = setTimeout(() => controller.abort(), DEADLINE_MS);
  const wallStart = Date.now();
  try {
    const runAgent = start({
      baseUrl: sim.url,
      known: knownLimitsOf(AGENT),
      attempts: new AttemptLog(),
      signal: controller.signal,
      random: mulberry32(AGENT.workload.seed),
    });
    const results = await Promise.all(
      Array.from({ length: AGENT_WORKLOAD.runs }, (_, i) => runAgent(i, wallStart)),
    );
    const stats = await sim.stats();
    const sum = (f: (r: RunResult) => number): number => results.reduce((n, r) => n + f(r), 0);
    return {
      scenario: 'agent',
      strategy: name,
      runs: results.length,
      answered: results.filter((r) => r.isAnswered).length,
      stepsDone: sum((r) => r.stepsDone),
      stepsFailed: sum((r) => r.stepsFailed),
      status429: stats.responsesByStatus['429'] ?? 0,
      requests: stats.requestsByRoute['/v1/messages'] ?? 0,
      runEndMs: spread(results.map((r) => r.endMs)),
      inputTokensDrawn: sum((r) => r.drawn),
      inputTokensSeen: sum((r) => r.seen),
      wallMs: Date.now() - wallStart,
    };
  } finally {
    clearTimeout(deadline);
    controller.abort();
    await sim.close();
  }
}

/** Runs the agent scenario with each named strategy, side by side (each on its own simulator); rows in table order. */
export function runAgent(strategy?: string): Promise<AgentRow[]> {
  const chosen = RUNNERS.filter((r) => strategy === undefined || r.name === strategy);
  return Promise.all(chosen.map((r) => runOne(r.name, r.start)));
}

/** The agent scenario's Markdown table. */
export function agentTable(rows: readonly AgentRow[]): string {
  const tokens = (n: number): string => n.toLocaleString('en-US');
  const seconds = (ms: number | null): string => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);
  return [
    `### ${AGENT.title}`,
    '',
    '| strategy | runs answered | steps done | steps failed | requests sent | 429 | run end p50 / last | input tokens drawn (with cache) | input tokens carried (drawn without cache) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${[
          r.strategy,
          `${r.answered}/${r.runs}`,
          r.stepsDone,
          r.stepsFailed,
          r.requests,
          r.status429,
          `${seconds(r.runEndMs.p50)} / ${seconds(r.runEndMs.max)}`,
          tokens(r.inputTokensDrawn),
          tokens(r.inputTokensSeen),
        ].join(' | ')} |`,
    ),
  ].join('\n');
}
