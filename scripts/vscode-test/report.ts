import * as fs from 'node:fs';

/** Test counts of one tier, or of the whole run. */
export interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** No tests run. */
export const NO_COUNTS: Counts = { passed: 0, failed: 0, skipped: 0 };

/** Counts from a JSON file such as the integration suite's `<report>.json`; undefined when missing or unreadable. */
export function readCountsFile(file: string): Counts | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Counts;
  } catch {
    return undefined;
  }
}

/** Sum of two counts. */
export function addCounts(a: Counts, b: Counts): Counts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

/** `N passed, N failed[, N skipped]`, optionally after one `label:` word (the form CI reads as a closing line). */
export function summaryLine(counts: Counts, label?: string): string {
  const line = `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
  return label ? `${label}: ${line}` : line;
}

/** Times named steps and prints each as it ends. */
export class StepTimer {
  readonly #steps: { label: string; ms: number }[] = [];
  readonly #startedAt = performance.now();

  /** Runs one step, printing its start and its duration. */
  async step<T>(label: string, work: () => Promise<T>): Promise<T> {
    console.log(`\n▶ ${label}`);
    const startedAt = performance.now();
    try {
      return await work();
    } finally {
      const ms = performance.now() - startedAt;
      this.#steps.push({ label, ms });
      console.log(`◀ ${label}: ${seconds(ms)}`);
    }
  }

  /** One line per step (and per job of a step that ran several, indented under it) and the total, for the end of a run. */
  table(jobs: readonly { label: string; ms: number }[] = []): string {
    const lines = [...this.#steps, ...jobs.map((job) => ({ label: `  ${job.label}`, ms: job.ms }))];
    const width = Math.max(...lines.map((s) => s.label.length), 5);
    const rows = lines.map((s) => `  ${s.label.padEnd(width)}  ${seconds(s.ms).padStart(7)}`);
    rows.push(`  ${'total'.padEnd(width)}  ${seconds(performance.now() - this.#startedAt).padStart(7)}`);
    return `Timings:\n${rows.join('\n')}`;
  }
}

/** Milliseconds as `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
