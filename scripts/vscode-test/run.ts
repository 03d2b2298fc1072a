/**
 * `npm run test:vscode`: builds the extension and the integration suite, then runs the integration
 * suite (mocha in an extension host) and the UI check files (Chromium) as jobs on two lanes, each
 * its own code-server; stops everything and exits non-zero when anything failed.
 *
 * Flags: `--skip-ui`, `--skip-integration`, `--grep <text>` (both tiers; a UI check is also
 * selected by its file's name, `chatHost`, and `a|b` selects either), `--keep` (keep the run
 * folders), `--env KEY=VALUE` (repeatable; extension host environment, as are CLAUDE_PACER_* variables),
 * `--lanes <n>` (code-servers running jobs at once; default 2, 1 runs everything one after another),
 * `--more-lanes-when <file>` (lanes after the first take jobs only once that file exists: `npm test`
 * creates it when the unit tier is done, so the CPU goes to one thing at a time).
 */
import { parseArgs } from 'node:util';
import { buildExtension } from './buildExtension';
import { buildIntegrationSuite } from './buildIntegration';
import { DEFAULT_LANES, runLanes } from './lanes';
import { addCounts, StepTimer, summaryLine } from './report';
import { removeRunDirs, type RunDirs } from './runDir';
import { SetupError } from './setupError';
import { runScript, type Teardown } from './teardown';
import { ensureTools } from './tools';

/** Forwarded from this process to the extension host, so e.g. `CLAUDE_PACER_BASE_URL=… npm run test:vscode` reaches it. */
const FORWARDED_ENV_PREFIX = 'CLAUDE_PACER_';

async function main(teardown: Teardown): Promise<number> {
  const { values } = parseArgs({
    options: {
      'skip-ui': { type: 'boolean', default: false },
      'skip-integration': { type: 'boolean', default: false },
      grep: { type: 'string' },
      keep: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      lanes: { type: 'string', default: String(DEFAULT_LANES) },
      'more-lanes-when': { type: 'string' },
    },
  });
  const lanes = Number(values.lanes);
  if (!Number.isInteger(lanes) || lanes < 1)
    throw new SetupError(
      'arguments',
      `--lanes expects a whole number ≥ 1, got "${values.lanes}".`,
      'pass e.g. --lanes 1',
    );
  const extensionEnv = extensionEnvironment(values.env, values.grep);
  const timer = new StepTimer();

  await timer.step('install tools (.tools/)', () => ensureTools((line) => console.log(`  ${line}`)));
  await timer.step('build extension', buildExtension);
  await timer.step('build integration suite', buildIntegrationSuite);
  const laneDirs: RunDirs[] = [];
  const result = await timer.step(`integration suite and UI checks (${lanes} lanes)`, () =>
    runLanes({
      lanes,
      runsIntegration: !values['skip-integration'],
      runsUi: !values['skip-ui'],
      extensionEnv,
      filter: values.grep,
      moreLanesWhen: values['more-lanes-when'],
      teardown,
      onLaneDirs: (dirs) => laneDirs.push(dirs),
    }),
  );
  console.log('Screenshots: artifacts/screenshots/');
  if (!values['skip-integration']) console.log(summaryLine(result.integration, 'integration'));
  if (!values['skip-ui']) console.log(summaryLine(result.ui, 'ui'));
  await timer.step('stop code-server and chromium', () => teardown.run());

  const total = addCounts(result.integration, result.ui);
  if (total.failed === 0 && !values.keep) for (const dirs of laneDirs) removeRunDirs(dirs);
  else
    console.log(
      `\nRun folders kept for debugging: ${laneDirs.map((dirs) => dirs.root).join(', ')} (code-server log, extension host console, reports)`,
    );
  console.log(`\n${timer.table(result.jobTimes)}\n`);
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
