import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { tail } from './exec';
import { freePort } from './freePort';
import { CODE_SERVER_ENTRY, NODE_BIN } from './paths';
import { type RunDirs } from './runDir';
import { SetupError } from './setupError';
import { type Stoppable } from './teardown';

/** Options for {@link startCodeServer}. */
export interface CodeServerOptions {
  readonly dirs: RunDirs;
  /** Needed for the `payload` URL parameter (tests); it also hides notification toasts, so not for people. */
  readonly smokeTestDriver: boolean;
  /** Extra environment for the server, which its extension hosts inherit. */
  readonly env?: Readonly<Record<string, string>>;
  /** Fixed port; a free one when omitted. */
  readonly port?: number;
}

/** A running code-server in its own process group. */
export interface CodeServer extends Stoppable {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`, the authority of `vscode-remote://` URIs. */
  readonly authority: string;
  /** Process group id (= the server's pid); `kill -- -<pgid>` stops the whole tree. */
  readonly pgid: number;
  readonly logFile: string;
  /** Settles when the server process exits, whatever the reason. */
  readonly exited: Promise<void>;
}

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** User settings that keep the workbench quiet and the screenshots clean. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
};

/** Test runs only: less for the renderer of each window to redraw (two cores carry two lanes of windows). */
const TEST_SETTINGS = {
  'workbench.reduceMotion': 'on',
  'editor.cursorBlinking': 'solid',
  // The secondary side bar holds only VS Code's own Chat view (no test uses it; ours is in the
  // activity bar): left closed, each window's load costs ~1.3 CPU-s less (9.8 against 11.1 CPU-s).
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Test runs only: built-in extensions that no test uses and that activate in every window (on `*`
 * or at startup) or start a server for a file type; each of a run's ~40 extension hosts would load
 * them and run `git` (or tsserver) for nothing.
 */
const SKIPPED_BUILTINS = [
  'vscode.git',
  'vscode.git-base',
  'vscode.github',
  'vscode.github-authentication',
  'vscode.emmet',
  'vscode.merge-conflict',
  'vscode.debug-auto-launch',
  'vscode.tunnel-forwarding',
  // Not on `*`, but each window that opens a .ts file (the integration suite, demo, agent) starts
  // tsserver, whose type acquisition even runs `npm install` (offline here): ~18 of the
  // integration suite's ~120 CPU-s. No test uses TypeScript's language features; the language
  // itself (vscode.typescript-basics: its id and colours) stays.
  'vscode.typescript-language-features',
];

/** Starts code-server on 127.0.0.1 with all its state under the run folder and waits until `/healthz` answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { dirs } = options;
  const port = options.port ?? (await freePort());
  const logFile = path.join(dirs.reports, 'code-server.log');
  writeUserSettings(dirs.userData, options.smokeTestDriver ? TEST_SETTINGS : {});
  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ]; // prettier-ignore
  const log = fs.openSync(logFile, 'a');
  // detached = setsid(2): the server, its extension hosts, watchers and agent host share one new
  // process group, so `kill -- -PGID` stops the whole tree and a terminal Ctrl+C never reaches it directly.
  const child = spawn(NODE_BIN, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      ...options.env,
      PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      // VS Code keeps a device id under XDG_CACHE_HOME (else ~/.cache).
      XDG_CACHE_HOME: dirs.xdgCache,
      TMPDIR: dirs.tmp,
      // The server's extension scanner leaves these out (a `disable-extension` option reaches only desktop windows).
      ...(options.smokeTestDriver && { VSCODE_SKIP_BUILTIN_EXTENSIONS: SKIPPED_BUILTINS.join(',') }),
    },
  });
  fs.closeSync(log);
  const pgid = child.pid;
  if (pgid === undefined)
    throw new SetupError('start code-server', `could not spawn ${NODE_BIN}.`, 'delete .tools/ and retry.');
  const server = processGroup(pgid, child, port, logFile);
  try {
    await waitForHealth(server.url, child, logFile);
  } catch (error) {
    server.stopNow();
    throw error;
  }
  return server;
}

function processGroup(pgid: number, child: ChildProcess, port: number, logFile: string): CodeServer {
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pgid, signal);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  return {
    name: 'code-server',
    url: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    pgid,
    logFile,
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
    async stop() {
      if (!signalGroup('SIGTERM')) return;
      const deadline = Date.now() + STOP_GRACE_MS;
      while (Date.now() < deadline) {
        await delay(100);
        if (!signalGroup(0)) return;
      }
      signalGroup('SIGKILL');
      child.unref();
    },
    stopNow() {
      signalGroup('SIGKILL');
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new SetupError(
        'start code-server',
        `code-server exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile, 15)}`,
        'see the log above; delete .tools/code-server to reinstall it.',
      );
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new SetupError(
    'start code-server',
    `no answer from ${url}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s:\n${tail(logFile, 15)}`,
    'see the log above.',
  );
}

/** The user settings file of a run (application-scoped settings are read from here only). */
export function userSettingsFile(userDataDir: string): string {
  return path.join(userDataDir, 'User', 'settings.json');
}

/**
 * The server's own settings file of a run: machine-scoped settings are read from here only (the
 * workbench is a remote window of code-server, which ignores them in the user settings file).
 */
export function machineSettingsFile(userDataDir: string): string {
  return path.join(userDataDir, 'Machine', 'settings.json');
}

function writeUserSettings(userDataDir: string, extra: Readonly<Record<string, unknown>>): void {
  const file = userSettingsFile(userDataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2)}\n`);
}
