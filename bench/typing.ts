import { setMaxListeners } from 'node:events';
import Anthropic from '@anthropic-ai/sdk';
import { mulberry32 } from '../sim/random';
import { countTokens } from '../sim/tokens';
import { createSystemClock, type MessageRequest } from '../src/pacer/index';
import { DEFAULT_SETTINGS, TIER_PRESETS } from '../src/settings/model/settings';
import { CompletionBudget } from '../src/completions/model/completionBudget';
import { CompletionGate } from '../src/completions/model/completionGate';
import { CompletionPipeline, type CompletionOutcome } from '../src/completions/model/completionPipeline';
import { boundedContext, buildFimRequest, type CursorContext } from '../src/completions/model/fimPrompt';
import { AttemptLog, JOB_HEADER } from './attemptLog';
import { spread, type Spread } from './metrics';
import { knownLimitsOf, simConfigOf, type Scenario } from './scenarios';
import { startSimHost } from './simHost';
import { startOurScheduler } from './strategies/ours';
import { sleep } from './strategies/guideParts';
import { makeTypingSession, TYPIST, type ChatTurn, type TypingSession } from './typist';
import type { StrategyContext } from './types';

const HAIKU = 'claude-haiku-4-5';
const TIER1 = TIER_PRESETS.tier1;
/** Chat turns still pending this long after the typing stops count as unfinished. */
const DRAIN_MS = 15_000;

/**
 * Scenario 12. Tier-1 limits (50 RPM, 30,000 ITPM, 8,000 OTPM) with buckets of 10 s of refill:
 * a 2 s bucket (the other scenarios' W) holds 1,000 input tokens, less than one completion. Chat
 * uses the completion model, so both share one pool (a Sonnet chat has a pool of its own).
 */
export const TYPING: Scenario = {
  name: 'typing',
  title:
    '12. Typing: a keystroke every 120 ms, pauses of 0.5–2 s each asking for a completion (background), a chat turn every 10 s (interactive), tier-1 limits over 10 s buckets, one pool',
  organizations: 1,
  keysPerOrganization: 1,
  models: [HAIKU],
  limits: {
    requestsPerMinute: TIER1.requests!,
    inputTokensPerMinute: TIER1.inputTokens!,
    outputTokensPerMinute: TIER1.outputTokens!,
  },
  minuteSec: 10,
  workload: { seed: 20_261_207, maxTokens: 64, groups: [] },
};

/** The figures of one strategy in the typing scenario. */
export interface TypingRow {
  readonly scenario: 'typing';
  readonly strategy: string;
  readonly pauses: number;
  /** Outcome of each pause's completion (its last keystroke's call), counted. */
  readonly pauseOutcomes: Readonly<Partial<Record<CompletionOutcome, number>>>;
  /** Pause completions still unanswered when the run stopped (at most 15 s after the typing). */
  readonly pendingAtEnd: number;
  /** Completion requests the server received (attempts, retries included). */
  readonly completionAttempts: number;
  readonly status429: number;
  readonly chats: { readonly done: number; readonly total: number };
  /** Chat submission → start of the attempt that succeeded. */
  readonly chatWaitMs: Spread;
  /** Refill time of the largest chat turn's own cost, ms. */
  readonly chatRefillSlotMs: number;
  readonly wallMs: number;
}

/** One side of the comparison: what a keystroke and a chat turn do. */
interface TypingClient {
  keystroke(cursor: CursorContext): Promise<CompletionOutcome>;
  chat(turn: ChatTurn): Promise<boolean>;
}

const completionRequest = (cursor: CursorContext): MessageRequest =>
  buildFimRequest({
    ...cursor,
    fileName: 'src/pacer.ts',
    languageId: 'typescript',
    model: HAIKU,
    maxTokens: 64,
  });

const chatRequest = (turn: ChatTurn): MessageRequest => ({
  model: HAIKU,
  maxTokens: 64,
  messages: [{ role: 'user', content: turn.prompt }],
});

/** Ours: the provider's pipeline (debounce, stale drops, shedding) on the background lane, chat on the interactive one. */
function oursClient(ctx: StrategyContext): TypingClient {
  const jobOf = new WeakMap<MessageRequest, number>();
  const { scheduler } = startOurScheduler(ctx, {}, (request) => jobOf.get(request));
  const clock = createSystemClock();
  const pipeline = new CompletionPipeline(
    {
      clock,
      budget: new CompletionBudget(clock, () => 0),
      submit: (request, signal) => scheduler.submit({ request, lane: 'background', signal }),
      onChange: (listener) => scheduler.onChange(listener),
      onPause: () => undefined,
      log: () => undefined,
    },
    DEFAULT_SETTINGS['inlineCompletions.debounceMs'],
  );
  return {
    keystroke: async (cursor) =>
      (
        await pipeline.complete({
          cursor,
          build: () => completionRequest(cursor),
          debounceMs: DEFAULT_SETTINGS['inlineCompletions.debounceMs'],
          tokensPerDay: 0,
        })
      ).outcome,
    chat: async (turn) => {
      const request = chatRequest(turn);
      jobOf.set(request, turn.id);
      const result = await scheduler.submit({ request, lane: 'interactive', signal: ctx.signal }).result;
      return result.status === 'completed';
    },
  };
}

/** Straight SDK (default retries): each pause sends one request at once, aborted when typing goes on; chat likewise. */
function sdkClient(ctx: StrategyContext): TypingClient {
  const client = new Anthropic({
    apiKey: ctx.known.organizations[0]![0]!,
    baseURL: ctx.baseUrl,
    logLevel: 'off',
    fetch: ctx.attempts.fetch,
  });
  const gate = new CompletionGate(createSystemClock(), DEFAULT_SETTINGS['inlineCompletions.debounceMs']);
  const send = (request: MessageRequest, signal: AbortSignal, headers = {}): Promise<unknown> =>
    client.messages.create(
      {
        model: request.model,
        max_tokens: request.maxTokens,
        ...(typeof request.system === 'string' ? { system: request.system } : {}),
        messages: request.messages.map((m) => ({ role: m.role, content: m.content as string })),
      },
      { signal, headers },
    );
  return {
    keystroke: async (cursor) => {
      const signal = await gate.settle(ctx.signal);
      if (!signal) return 'stale';
      try {
        await send(completionRequest(cursor), signal);
        return signal.aborted ? 'stale' : 'completed';
      } catch {
        return signal.aborted ? 'stale' : 'failed';
      }
    },
    chat: async (turn) => {
      try {
        await send(chatRequest(turn), ctx.signal, { [JOB_HEADER]: String(turn.id) });
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The clients compared, in table order. */
const CLIENTS: ReadonlyArray<{ name: string; start: (ctx: StrategyContext) => TypingClient }> = [
  { name: 'ours', start: oursClient },
  { name: 'sdk-defaults', start: sdkClient },
];

/** Names of the strategies the typing scenario runs. */
export const TYPING_STRATEGIES: readonly string[] = CLIENTS.map((c) => c.name);

async function runOne(
  name: string,
  start: (ctx: StrategyContext) => TypingClient,
  session: TypingSession,
): Promise<TypingRow> {
  const config = simConfigOf(TYPING);
  const sim = await startSimHost(config);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const log = new AttemptLog();
  const wallStart = Date.now();
  try {
    const client = start({
      baseUrl: sim.url,
      known: knownLimitsOf(TYPING),
      attempts: log,
      signal: controller.signal,
      random: mulberry32(TYPIST.seed),
    });
    const pauseOutcomes: Partial<Record<CompletionOutcome, number>> = {};
    const chatResults: Array<{ turn: ChatTurn; submittedMs: number; isDone: boolean }> = [];
    let pendingPauses = 0;
    let pendingChats = 0;
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const startMs = Date.now();
    for (const key of session.keystrokes) {
      timers.push(
        setTimeout(() => {
          const outcome = client.keystroke(boundedContext(key.text, key.text.length, 4_000, 1_000));
          if (key.pauseIndex === undefined) return;
          pendingPauses++;
          void outcome.then((o) => {
            pendingPauses--;
            pauseOutcomes[o] = (pauseOutcomes[o] ?? 0) + 1;
          });
        }, key.atMs),
      );
    }
    for (const turn of session.chats) {
      timers.push(
        setTimeout(() => {
          const submittedMs = Date.now();
          pendingChats++;
          void client.chat(turn).then((isDone) => {
            pendingChats--;
            chatResults.push({ turn, submittedMs, isDone });
          });
        }, turn.atMs),
      );
    }
    await sleep(session.durationMs, controller.signal);
    const drainEndMs = Date.now() + DRAIN_MS;
    while (pendingPauses + pendingChats > 0 && Date.now() < drainEndMs) await sleep(50, controller.signal);
    const pendingAtEnd = pendingPauses;
    controller.abort();
    for (const t of timers) clearTimeout(t);
    const stats = await sim.stats();
    const done = chatResults.filter((c) => c.isDone);
    const chatAttempts = session.chats.reduce((n, turn) => n + log.of(turn.id).length, 0);
    const waits = done.map((c) => {
      const success = log
        .of(c.turn.id)
        .filter((a) => a.status === 200)
        .at(-1);
      return (success?.startMs ?? startMs) - c.submittedMs;
    });
    const rate = { requests: TIER1.requests! / 60, inputTokens: TIER1.inputTokens! / 60 };
    const slotMs = Math.max(
      ...session.chats.map(
        (t) =>
          Math.max(1 / rate.requests, countTokens([t.prompt], config.tokenizer) / rate.inputTokens) * 1000,
      ),
    );
    return {
      scenario: 'typing',
      strategy: name,
      pauses: session.pauses,
      pauseOutcomes,
      pendingAtEnd,
      completionAttempts: (stats.requestsByRoute['/v1/messages'] ?? 0) - chatAttempts,
      status429: stats.responsesByStatus['429'] ?? 0,
      chats: { done: done.length, total: session.chats.length },
      chatWaitMs: spread(waits),
      chatRefillSlotMs: Math.round(slotMs),
      wallMs: Date.now() - wallStart,
    };
  } finally {
    controller.abort();
    await sim.close();
  }
}

/** Runs the typing session with each named strategy, side by side (each on its own simulator); rows in table order. */
export function runTyping(strategy?: string): Promise<TypingRow[]> {
  const session = makeTypingSession(TYPIST);
  const chosen = CLIENTS.filter((c) => strategy === undefined || c.name === strategy);
  return Promise.all(chosen.map((c) => runOne(c.name, c.start, session)));
}

/** The typing scenario's Markdown table. */
export function typingTable(rows: readonly TypingRow[]): string {
  const count = (r: TypingRow, ...o: CompletionOutcome[]): number =>
    o.reduce((n, k) => n + (r.pauseOutcomes[k] ?? 0), 0);
  const columns =
    '| strategy | pauses | served | shed/paused | too late (typing went on) | failed or empty | unanswered at the end | completion requests sent | 429 | chat done | chat wait p50/p95 | chat refill slot |';
  return [
    `### ${TYPING.title}`,
    '',
    columns,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const served = count(r, 'completed', 'cached');
      return `| ${[
        r.strategy,
        r.pauses,
        `${served} (${((served / r.pauses) * 100).toFixed(0)} %)`,
        count(r, 'shed', 'paused', 'budget'),
        count(r, 'stale'),
        count(r, 'failed', 'empty'),
        r.pendingAtEnd,
        r.completionAttempts,
        r.status429,
        `${r.chats.done}/${r.chats.total}`,
        `${r.chatWaitMs.p50 ?? '–'}/${r.chatWaitMs.p95 ?? '–'} ms`,
        `${r.chatRefillSlotMs} ms`,
      ].join(' | ')} |`;
    }),
  ].join('\n');
}
