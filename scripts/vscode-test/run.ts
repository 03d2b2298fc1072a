/**
 * `npm run test:vscode`: builds the extension and the integration suite, starts code-server once,
 * runs the integration suite in its extension host and then the UI checks in Chromium, stops
 * everything and exits non-zero when anything failed.
 *
 * Flags: `--skip-ui`, `--skip-integration`, `--grep <text>` (both tiers), `--keep` (keep the run
 * folder), `--env KEY=VALUE` (repeatable; extension host environment, as are CLAUDE_PACER_* variables),
 * `--ui-lanes <n>` (UI check files run at once, each in its own browser; default 2).
 */
import { parseArgs } from 'node:util';
import { launchBrowser } from './browser';
import { buildExtension } from './buildExtension';
import { buildIntegrationSuite } from './buildIntegration';
import { runIntegrationSuite } from './integration';
import { addCounts, type Counts, NO_COUNTS, StepTimer, summaryLine } from './report';
import { createRunDirs, removeRunDirs } from './runDir';
import { startCodeServer } from './server';
import { SetupError } from './setupError';
import { runScript, type Teardown } from './teardown';
import { ensureTools } from './tools';
import { DEFAULT_UI_LANES, runUiChecks } from './uiRunner';

/** Forwarded from this process to the extension host, so e.g. `CLAUDE_PACER_BASE_URL=… npm run test:vscode` reaches it. */
const FORWARDED_ENV_PREFIX = 'CLAUDE_PACER_';

// Generous: simulator-driven tests wait on real rate-limit windows; the suite itself bounds each test.
const INTEGRATION_TIMEOUT_MS = 15 * 60_000;

async function main(teardown: Teardown): Promise<number> {
  const { values } = parseArgs({
    options: {
      'skip-ui': { type: 'boolean', default: false },
      'skip-integration': { type: 'boolean', default: false },
      grep: { type: 'string' },
      keep: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      'ui-lanes': { type: 'string', default: String(DEFAULT_UI_LANES) },
    },
  });
  const extensionEnv = extensionEnvironment(values.env, values.grep);
  const timer = new StepTimer();

  await timer.step('install tools (.tools/)', () => ensureTools((line) => console.log(`  ${line}`)));
  await timer.step('build extension', buildExtension);
  await timer.step('build integration suite', buildIntegrationSuite);
  const dirs = createRunDirs();
  // Playwright and anything else that asks os.tmpdir() write into the run folder, not /tmp.
  process.env.TMPDIR = dirs.tmp;
  const server = await timer.step('start code-server', () =>
    startCodeServer({ dirs, smokeTestDriver: true }),
  );
  teardown.add(server);
  console.log(`  ${server.url} (pgid ${server.pgid}), log ${server.logFile}`);
  const browser = await timer.step('start chromium', () => launchBrowser(dirs));
  teardown.add(browser);

  let integration: Counts = NO_COUNTS;
  if (!values['skip-integration']) {
    integration = await timer.step('integration suite (extension host)', () =>
      runIntegrationSuite({ server, browser, dirs, extensionEnv, timeoutMs: INTEGRATION_TIMEOUT_MS }),
    );
    console.log(summaryLine(integration, 'integration'));
  }
  let ui: Counts = NO_COUNTS;
  if (!values['skip-ui']) {
    const launch = async (profileDir: string) => {
      const started = await launchBrowser(dirs, profileDir);
      teardown.add(started); // stopping a browser twice is harmless: the file's own stop comes first
      return started;
    };
    ui = await timer.step('UI checks (Chromium)', () =>
      runUiChecks({
        server,
        dirs,
        extensionEnv,
        filter: values.grep,
        launchBrowser: launch,
        lanes: Number(values['ui-lanes']),
      }),
    );
    console.log(summaryLine(ui, 'ui'));
  }
  await timer.step('stop code-server and chromium', () => teardown.run());

  const total = addCounts(integration, ui);
  if (total.failed === 0 && !values.keep) removeRunDirs(dirs);
  else
    console.log(
      `\nRun folder kept for debugging: ${dirs.root} (code-server log, extension host console, reports)`,
    );
  console.log(`\n${timer.table()}\n`);
  console.log(summaryLine(total));
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

function extensionEnvironment(pairs: readonly string[], grep: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith(FORWARDED_ENV_PREFIX) && value !== undefined) env[key] = value;
  }
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new SetupError(
        'arguments',
        `--env expects KEY=VALUE, got "${pair}".`,
        'pass e.g. --env CLAUDE_PACER_BASE_URL=http://127.0.0.1:8080',
      );
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (grep) env.CLAUDE_PACER_TEST_GREP = grep;
  return env;
}

runScript(main, '0 passed, 1 failed');
