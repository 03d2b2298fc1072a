import { setMaxListeners } from 'node:events';
import { mulberry32 } from '../sim/random';
import { AttemptLog } from './attemptLog';
import { sleep } from './strategies/guideParts';
import type { AttemptRecord, BenchJob, KnownLimits, Strategy } from './types';

/** A timed action during a run, e.g. emptying the server's buckets. */
export interface RunEvent {
  readonly atMs: number;
  readonly run: () => Promise<void>;
}

/** What one (workload, strategy) run needs. */
export interface RunInput {
  readonly baseUrl: string;
  readonly jobs: readonly BenchJob[];
  readonly known: KnownLimits;
  /** Wall-clock budget from the first arrival; jobs not done by then count as unfinished. */
  readonly deadlineMs: number;
  readonly seed: number;
  readonly events?: readonly RunEvent[];
}

/** How one job ended, timed from the run's start. */
export interface JobResult {
  readonly job: BenchJob;
  readonly outcome: 'completed' | 'failed' | 'unfinished';
  /** Submission, ms after the run's start. */
  readonly submittedMs: number;
  /** Completion or failure, ms after the run's start. */
  readonly doneMs?: number;
  /** Attempts with times relative to the run's start. */
  readonly attempts: readonly AttemptRecord[];
}

/** Everything measured client-side in one run. */
export interface RunResult {
  readonly strategy: string;
  readonly jobs: readonly JobResult[];
  /** When the first response of the run arrived, ms after the start. */
  readonly firstResponseMs?: number;
  readonly hitDeadline: boolean;
}

/** Runs `jobs` through `strategy` on the real clock: each job is submitted at its arrival time. */
export async function runStrategy(strategy: Strategy, input: RunInput): Promise<RunResult> {
  const controller = new AbortController();
  // Every in-flight SDK call listens on the run's signal.
  setMaxListeners(0, controller.signal);
  const log = new AttemptLog();
  const running = await strategy.start({
    baseUrl: input.baseUrl,
    known: input.known,
    attempts: log,
    signal: controller.signal,
    random: mulberry32(input.seed),
  });
  const startMs = Date.now();
  const submitted = new Map<number, number>();
  const done = new Map<number, { atMs: number; completed: boolean }>();
  const timers: ReturnType<typeof setTimeout>[] = [];
  const settled = input.jobs.map(
    (job) =>
      new Promise<void>((resolve) => {
        timers.push(
          setTimeout(() => {
            submitted.set(job.id, Date.now() - startMs);
            running.submit(job).then(
              (completed) => {
                if (!controller.signal.aborted) done.set(job.id, { atMs: Date.now() - startMs, completed });
                resolve();
              },
              () => resolve(),
            );
          }, job.arriveAtMs),
        );
      }),
  );
  for (const event of input.events ?? [])
    timers.push(setTimeout(() => void event.run().catch((e: unknown) => console.error(e)), event.atMs));
  const finished = Promise.all(settled).then(() => false);
  const hitDeadline = await Promise.race([
    finished,
    sleep(input.deadlineMs, controller.signal).then(() => true),
  ]);
  controller.abort();
  for (const t of timers) clearTimeout(t);
  await running.close();
  const firstResponse = log.firstResponseMs();
  return {
    strategy: strategy.name,
    hitDeadline,
    ...(firstResponse !== undefined ? { firstResponseMs: firstResponse - startMs } : {}),
    jobs: input.jobs.map((job) => {
      const end = done.get(job.id);
      return {
        job,
        outcome: end === undefined ? 'unfinished' : end.completed ? 'completed' : 'failed',
        submittedMs: submitted.get(job.id) ?? Number.NaN,
        ...(end !== undefined ? { doneMs: end.atMs } : {}),
        attempts: log.of(job.id).map((a) => ({
          startMs: a.startMs - startMs,
          ...(a.endMs !== undefined ? { endMs: a.endMs - startMs } : {}),
          ...(a.status !== undefined ? { status: a.status } : {}),
        })),
      };
    }),
  };
}
