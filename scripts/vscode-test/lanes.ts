import * as fs from 'node:fs';
import { launchBrowser, laneBrowser, type LaneBrowser } from './browser';
import { isWholeRun, mergeJobTimes, readJobTimes } from './jobTimes';
import { runIntegrationSuite } from './integration';
import { addCounts, type Counts, NO_COUNTS, seconds } from './report';
import { createRunDirs, type RunDirs } from './runDir';
import { type CodeServer, startCodeServer } from './server';
import { type Teardown } from './teardown';
import { prepareUiChecks, runUiCheckFile } from './uiRunner';

/**
 * Lanes the VS Code tier runs by default. Each lane is its own code-server with its own user data,
 * so nothing one lane's windows write (user settings, SecretStorage in a browser profile, restored
 * editors) reaches the other's; the tier mostly waits (real rate-limit windows, workbench loads),
 * so two lanes on two cores halve its time.
 */
export const DEFAULT_LANES = 2;

// Generous: simulator-driven tests wait on real rate-limit windows; the suite itself bounds each test.
const INTEGRATION_TIMEOUT_MS = 15 * 60_000;

/** What {@link runLanes} runs and where. */
export interface LaneOptions {
  readonly lanes: number;
  readonly runsIntegration: boolean;
  readonly runsUi: boolean;
  readonly extensionEnv: Readonly<Record<string, string>>;
  readonly filter?: string;
  /** When set, lanes after the first take jobs only once this file exists (they start their code-server at once). */
  readonly moreLanesWhen?: string | undefined;
  readonly teardown: Teardown;
  /** Called for each lane's folders, so the caller can keep or remove them at the end. */
  readonly onLaneDirs: (dirs: RunDirs) => void;
}

/** Counts of the whole tier, split by tier, with each job's duration for the timing table. */
export interface LaneResult {
  readonly integration: Counts;
  readonly ui: Counts;
  readonly jobTimes: readonly { label: string; ms: number }[];
}

interface Job {
  readonly label: string;
  readonly tier: 'integration' | 'ui';
  readonly run: (lane: Lane) => Promise<Counts>;
}

interface Lane {
  readonly server: CodeServer;
  readonly dirs: RunDirs;
  /** The lane's Chromium for UI check files (a context each). */
  readonly browser: LaneBrowser;
}

/** Polls once a second until `file` exists or `isMoot()` (nothing left to take). */
async function untilFileExists(file: string, isMoot: () => boolean): Promise<void> {
  while (!fs.existsSync(file) && !isMoot()) await new Promise((resolve) => setTimeout(resolve, 1_000));
}

/**
 * Runs the integration suite and every UI check file as jobs on `lanes` code-servers, each lane
 * taking the next job when its last one ends (the integration suite first: it is the longest).
 */
export async function runLanes(options: LaneOptions): Promise<LaneResult> {
  const { extensionEnv, teardown } = options;
  const jobs: Job[] = [];
  if (options.runsIntegration) {
    jobs.push({
      label: 'integration suite (extension host)',
      tier: 'integration',
      run: async ({ server, dirs }) => {
        const browser = await launchBrowser(dirs);
        teardown.add(browser);
        try {
          return await runIntegrationSuite({
            server,
            browser,
            dirs,
            extensionEnv,
            timeoutMs: INTEGRATION_TIMEOUT_MS,
          });
        } finally {
          await browser.stop();
        }
      },
    });
  }
  if (options.runsUi) {
    for (const file of prepareUiChecks()) {
      jobs.push({
        label: `UI ${file.replace(/^.*\/test\/ui\//, '')}`,
        tier: 'ui',
        run: ({ server, dirs, browser }) =>
          runUiCheckFile(file, {
            server,
            dirs,
            extensionEnv,
            filter: options.filter,
            newBrowserContext: () => browser.newContext(),
          }),
      });
    }
  }
  // Longest first (by the last run's times), so the last job to start is a short one.
  const lastTimes = readJobTimes();
  // The integration suite first whatever its last time; a check not timed yet counts as a minute.
  const expectedMs = (job: Job): number =>
    job.tier === 'integration' ? Number.MAX_SAFE_INTEGER : (lastTimes[job.label] ?? 60_000);
  jobs.sort((a, b) => expectedMs(b) - expectedMs(a));
  const totals = { integration: NO_COUNTS, ui: NO_COUNTS };
  const jobTimes: { label: string; ms: number }[] = [];
  const measured: Record<string, number> = {};
  const laneCount = Math.max(1, Math.min(options.lanes, jobs.length));
  const runLane = async (index: number): Promise<void> => {
    const dirs = createRunDirs(index);
    options.onLaneDirs(dirs);
    // Playwright and anything else that asks os.tmpdir() write into the run folder, not /tmp
    // (lane 0 runs this line before any other lane starts: nothing above awaits).
    if (index === 0) process.env.TMPDIR = dirs.tmp;
    const server = await startCodeServer({ dirs, smokeTestDriver: true });
    teardown.add(server);
    const browser = laneBrowser(dirs);
    teardown.add(browser); // closing a browser twice is harmless: the lane's own close comes first
    console.log(`  lane ${index + 1}: ${server.url} (pgid ${server.pgid}), log ${server.logFile}`);
    if (index > 0 && options.moreLanesWhen !== undefined) {
      await untilFileExists(options.moreLanesWhen, () => jobs.length === 0);
      if (jobs.length > 0) console.log(`  lane ${index + 1} takes jobs from now on`);
    }
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
      const startedAt = performance.now();
      const counts = await job.run({ server, dirs, browser });
      const ms = performance.now() - startedAt;
      jobTimes.push({ label: `${job.label} [lane ${index + 1}]`, ms });
      if (isWholeRun(job.tier, counts, options.filter !== undefined)) measured[job.label] = ms;
      console.log(`◀ ${job.label}: ${seconds(ms)} (lane ${index + 1})`);
      totals[job.tier] = addCounts(totals[job.tier], counts);
    }
    await browser.stop();
  };
  await Promise.all(Array.from({ length: laneCount }, (_, index) => runLane(index)));
  mergeJobTimes(measured);
  return { ...totals, jobTimes };
}
