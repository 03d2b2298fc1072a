/**
 * `npm start`: builds the extension, starts the simulator (when sim/simulator.ts exists and no real
 * key is set) and code-server with the extension installed, prints the URL to open and runs until
 * Ctrl+C, which stops everything.
 *
 * Flags: `--port <n>` (default: a free port), `--folder <path>` (default: a copy of the demo
 * workspace, demo/workspace), `--no-sim`, `--sim-only` (only the demo simulator, for a VS Code of
 * your own: no tools, no build, no code-server). A real key in ANTHROPIC_API_KEY also skips the simulator.
 *
 * It stops, and stops what it started, on SIGINT, SIGTERM, SIGHUP, a closed output pipe or its
 * parent's exit (scripts/vscode-test/stopRequests.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildExtension } from './vscode-test/buildExtension';
import { extensionId, REPO_ROOT } from './vscode-test/paths';
import { createRunDirs } from './vscode-test/runDir';
import { startCodeServer } from './vscode-test/server';
import { SetupError } from './vscode-test/setupError';
import { simulatorEnv, startDemoSimulator } from './vscode-test/simulator';
import { runScript, type Teardown } from './vscode-test/teardown';
import { ensureTools } from './vscode-test/tools';

/** Small TypeScript and Python files with something to explain, fix and document: what `npm start` opens. */
const DEMO_WORKSPACE_DIR = path.join(REPO_ROOT, 'demo', 'workspace');

async function main(teardown: Teardown): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      folder: { type: 'string' },
      'no-sim': { type: 'boolean', default: false },
      'sim-only': { type: 'boolean', default: false },
    },
  });
  if (values['sim-only']) return runSimulatorOnly(teardown);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new SetupError(
      'arguments',
      `--port expects a port number, got "${values.port}".`,
      'pass e.g. --port 8080.',
    );
  }
  await ensureTools((line) => console.log(line));
  await buildExtension();
  const dirs = createRunDirs();
  installDevExtension(dirs.extensions);

  const env: Record<string, string> = {};
  if (values['no-sim'] || process.env.ANTHROPIC_API_KEY) {
    console.log('Simulator: off (--no-sim or ANTHROPIC_API_KEY set).');
  } else {
    const simulator = await startDemoSimulator();
    if (simulator) {
      teardown.add(simulator);
      Object.assign(env, simulatorEnv(simulator));
      console.log(`Simulator: ${simulator.url} with ${simulator.keys.length} demo key(s).`);
    } else {
      console.log('Simulator: not available yet (no sim/simulator.ts).');
    }
  }

  // No smoke-test driver here: it would hide notification toasts from the person using the workbench.
  const server = await startCodeServer({ dirs, smokeTestDriver: false, env, port });
  teardown.add(server);
  const folder = path.resolve(values.folder ?? demoWorkspaceCopy(dirs.root));
  console.log(`\nOpen ${server.url}/?folder=${encodeURI(folder)}`);
  console.log(`code-server log: ${server.logFile}`);
  console.log(
    'After `npm run build`, run "Developer: Reload Window" in the workbench to load the new build.',
  );
  console.log('Press Ctrl+C to stop.');
  await server.exited;
  if (teardown.stopping) return 0;
  console.error(`code-server stopped on its own; see ${server.logFile}`);
  return 1;
}

/** `--sim-only`: the demo simulator alone, until a stop request (the teardown's handler exits). */
async function runSimulatorOnly(teardown: Teardown): Promise<number> {
  const simulator = await startDemoSimulator();
  if (!simulator)
    throw new SetupError(
      'start simulator',
      'sim/simulator.ts does not exist.',
      'run npm start without --sim-only.',
    );
  teardown.add(simulator);
  console.log(`Simulator: ${simulator.url}`);
  console.log(`Demo keys: ${simulator.keys.join(',')}`);
  console.log(`Set claudePacer.baseUrl to ${simulator.url} and add a demo key. Press Ctrl+C to stop.`);
  return new Promise<number>(() => undefined);
}

/** A copy of the demo workspace in the run folder, so edits made in the demo never touch the repository. */
function demoWorkspaceCopy(runRoot: string): string {
  const folder = path.join(runRoot, 'demo-workspace');
  fs.cpSync(DEMO_WORKSPACE_DIR, folder, { recursive: true });
  return folder;
}

/** Links the repository into the extensions folder: code-server loads it like an installed extension, live from dist/. */
function installDevExtension(extensionsDir: string): void {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  fs.symlinkSync(REPO_ROOT, path.join(extensionsDir, `${extensionId()}-${version}`));
}

runScript(main);
