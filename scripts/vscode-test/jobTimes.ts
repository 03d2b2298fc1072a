import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Counts } from './report';
import { REPO_ROOT } from './paths';

/** Each job's duration in the last run that ran it whole (gitignored `.cache/`), for the order of the next. */
export const JOB_TIMES_FILE = path.join(REPO_ROOT, '.cache', 'vscode-job-times.json');

/** Durations by job label from `file`; {} when it is missing or unreadable, and non-numbers are left out. */
export function readJobTimes(file = JOB_TIMES_FILE): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  } catch {
    return {};
  }
}

/**
 * Whether a job's duration tells how long the job takes: it ran every one of its tests. A filtered
 * run (`--grep`) skips UI checks (counted as skipped) and runs only part of the integration suite
 * (mocha does not count what its grep leaves out, hence `isFiltered`), so its durations would put
 * the longest jobs last in the next full run.
 */
export function isWholeRun(tier: 'integration' | 'ui', counts: Counts, isFiltered: boolean): boolean {
  if (counts.passed + counts.failed === 0 || counts.skipped > 0) return false;
  return tier === 'ui' || !isFiltered;
}

/** Merges `measured` into the durations already in `file` (re-read now: another run may have written it) and writes them back. */
export function mergeJobTimes(measured: Readonly<Record<string, number>>, file = JOB_TIMES_FILE): void {
  if (Object.keys(measured).length === 0) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...readJobTimes(file), ...measured }, null, 2)}\n`);
}
