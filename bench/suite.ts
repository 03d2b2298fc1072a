import { runStrategy, type RunEvent } from './harness';
import { figuresOf, lowerBound, type RunFigures } from './metrics';
import { knownLimitsOf, organizationId, simConfigOf, type Scenario } from './scenarios';
import { startSimHost } from './simHost';
import type { Strategy } from './types';
import { makeJobs } from './workload';

/** One row of the results: a strategy's figures in a scenario. */
export interface ScenarioRow extends RunFigures {
  readonly scenario: string;
  readonly strategy: string;
  readonly wallMs: number;
}

/** A run may take this many times the lower bound, plus a margin, before what is left counts as unfinished. */
const DEADLINE_FACTOR = 2.5;
const DEADLINE_MARGIN_MS = 2_000;

/**
 * Runs every strategy on a fresh simulator with the scenario's config and the same seeded workload:
 * one after the other, or all at once when the scenario says so (rows keep the strategies' order).
 */
export async function runScenario(
  scenario: Scenario,
  strategies: readonly Strategy[],
  onRow: (row: ScenarioRow) => void,
): Promise<ScenarioRow[]> {
  const config = simConfigOf(scenario);
  const jobs = makeJobs(scenario.workload);
  const deadlineMs = Math.round(
    Math.min(
      lowerBound(config, jobs).ms * DEADLINE_FACTOR + DEADLINE_MARGIN_MS,
      scenario.maxDeadlineMs ?? Number.POSITIVE_INFINITY,
    ),
  );
  const runOne = async (strategy: Strategy): Promise<ScenarioRow> => {
    const sim = await startSimHost(config);
    const drainAt = scenario.drainAtMs;
    const events: RunEvent[] =
      drainAt === undefined
        ? []
        : [
            {
              atMs: drainAt,
              run: async () => {
                for (let i = 0; i < scenario.organizations; i++) await sim.drain(organizationId(i));
              },
            },
          ];
    const wallStart = Date.now();
    try {
      const run = await runStrategy(strategy, {
        baseUrl: sim.url,
        jobs,
        known: knownLimitsOf(scenario),
        deadlineMs,
        seed: scenario.workload.seed,
        events,
      });
      const stats = await sim.stats();
      const row: ScenarioRow = {
        scenario: scenario.name,
        strategy: strategy.name,
        wallMs: Date.now() - wallStart,
        ...figuresOf(run, { config, stats }),
      };
      onRow(row);
      return row;
    } finally {
      await sim.close();
    }
  };
  if (scenario.concurrentStrategies) return Promise.all(strategies.map(runOne));
  const rows: ScenarioRow[] = [];
  for (const strategy of strategies) rows.push(await runOne(strategy));
  return rows;
}
