import type { AttemptRecord, AttemptSink } from './types';

/** Header the peers add to each SDK call so the fetch wrapper can tell whose attempt it is. */
export const JOB_HEADER = 'x-bench-job';

/** Every HTTP attempt of a run, per job, timed on the wall clock. */
export class AttemptLog implements AttemptSink {
  readonly #byJob = new Map<number, AttemptRecord[]>();

  begin(jobId: number): (status: number) => void {
    const record: AttemptRecord = { startMs: Date.now() };
    const list = this.#byJob.get(jobId) ?? [];
    list.push(record);
    this.#byJob.set(jobId, list);
    return (status) => {
      if (record.endMs !== undefined) return;
      record.endMs = Date.now();
      record.status = status;
    };
  }

  /** The attempts of one job, in start order. */
  of(jobId: number): readonly AttemptRecord[] {
    return this.#byJob.get(jobId) ?? [];
  }

  /** When the first response of the run (any status) arrived, or undefined. */
  firstResponseMs(): number | undefined {
    let first: number | undefined;
    for (const list of this.#byJob.values())
      for (const a of list)
        if (a.endMs !== undefined && a.status !== 0) first = Math.min(first ?? a.endMs, a.endMs);
    return first;
  }

  /** A `fetch` for SDK clients that records each attempt carrying the job header. */
  readonly fetch: typeof fetch = async (input, init) => {
    const id = Number(new Headers(init?.headers).get(JOB_HEADER));
    const end = Number.isInteger(id) && id > 0 ? this.begin(id) : undefined;
    try {
      const response = await fetch(input, init);
      end?.(response.status);
      return response;
    } catch (error) {
      end?.(0);
      throw error;
    }
  };
}
