import { ManualClock } from '../../support/manualClock';
import { drainTimers, flush } from '../../support/submitAndDrain';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import type { Lane } from '../../../src/pacer/scheduling/schedulerTypes';
import { key } from './schedulerHarness';
import { WindowServer, type Enforcement, type MinuteLimits } from './windowServer';

/** One job of a run: its lane and its prompt's size in characters (tokens too, unless the server counts its own way). */
export interface WindowJob {
  readonly lane: Lane;
  readonly input: number;
}

/** What a run showed: makespan ÷ the server's lower bound, 429s, and how many completed. */
export interface WindowRunResult {
  readonly ratio: number;
  readonly rejected: number;
  readonly completed: number;
  /** Requests of the server's bursty other client it admitted. */
  readonly othersAdmitted: number;
}

/**
 * Submits every job at once to a pacer told no limits and no window, on a fake clock, against a
 * WindowServer enforcing `limits` as `enforcement` says, and drains it.
 */
export async function paceOnWindowServer(
  limits: MinuteLimits,
  enforcement: Enforcement,
  jobs: readonly WindowJob[],
): Promise<WindowRunResult> {
  const clock = new ManualClock();
  const server = new WindowServer(clock, limits, enforcement);
  const scheduler = new Scheduler({ clock, random: () => 0.5, transport: server, options: { limits: {} } });
  scheduler.setKeys([key('k1')]);
  const start = clock.now();
  // A server that counts tokens its own way leaves the pacer to estimate them (characters / 4).
  const isCountTold = enforcement.countTokens === undefined;
  const handles = jobs.map(({ lane, input }) =>
    scheduler.submit({
      lane,
      ...(isCountTold ? { inputTokens: input } : {}),
      request: {
        model: 'claude-sonnet-4-6',
        maxTokens: 5,
        messages: [{ role: 'user', content: 'x'.repeat(input) }],
      },
    }),
  );
  await flush();
  await drainTimers(clock, { maxTimers: 50_000 });
  const results = await Promise.all(handles.map((h) => h.result));
  scheduler.dispose();
  const lastSendMs = Math.max(...server.admittedAtMs) - start;
  // The bound counts from the first send; one answer's latency of first contact is allowed on top.
  const bound = server.lowerBoundMs(jobs.map((j) => j.input)) + enforcement.latencyMs;
  return {
    ratio: lastSendMs / Math.max(bound, 1),
    rejected: server.rejected,
    completed: results.filter((r) => r.status === 'completed').length,
    othersAdmitted: server.othersAdmitted,
  };
}
