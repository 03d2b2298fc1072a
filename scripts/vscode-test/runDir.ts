import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPORTS_PROBE_DIR, LM_CONSUMER_FIXTURE_DIR, TOOLS_DIR, WORKSPACE_FIXTURE_DIR } from './paths';
import { isPidAlive } from './pidAlive';

/** Folders of one harness run, all under `.tools/run-<pid>/` so nothing is written to the home folder or /tmp. */
export interface RunDirs {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly xdgConfig: string;
  readonly xdgData: string;
  readonly xdgCache: string;
  readonly tmp: string;
  readonly browserProfile: string;
  /** The folder the workbench opens: a copy of test/integration/workspace. */
  readonly workspace: string;
  /** Integration report and other per-run output. */
  readonly reports: string;
}

/**
 * Creates this process's run folders, after removing those left by runs whose process is gone.
 * Lane N > 0 gets its own tree (`run-<pid>-lane<N>`): a second code-server needs its own user data,
 * or one lane's user settings (e.g. a check pointing `claudePacer.baseUrl` at its server) reach the other's windows.
 */
export function createRunDirs(lane = 0): RunDirs {
  removeStaleRunDirs();
  const root = path.join(TOOLS_DIR, lane === 0 ? `run-${process.pid}` : `run-${process.pid}-lane${lane}`);
  fs.rmSync(root, { recursive: true, force: true });
  const dirs: RunDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
    xdgCache: path.join(root, 'xdg-cache'),
    tmp: path.join(root, 'tmp'),
    browserProfile: path.join(root, 'browser-profile'),
    workspace: path.join(root, 'workspace'),
    reports: path.join(root, 'reports'),
  };
  for (const dir of Object.values(dirs) as string[]) fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(WORKSPACE_FIXTURE_DIR))
    fs.cpSync(WORKSPACE_FIXTURE_DIR, dirs.workspace, { recursive: true });
  installExportsProbe(dirs.extensions);
  // Installed, not loaded through the payload: given two extensionDevelopmentPath pairs, code-server
  // loaded only the last; a fresh extensions folder's contents are adopted at server start.
  if (fs.existsSync(LM_CONSUMER_FIXTURE_DIR))
    fs.cpSync(LM_CONSUMER_FIXTURE_DIR, path.join(dirs.extensions, 'claude-pacer-tests.lm-consumer-0.0.1'), {
      recursive: true,
    });
  return dirs;
}

/**
 * Links the exports probe into the run's extensions folder, so it is an installed extension like any
 * other (the workbench's `payload` keeps only one `extensionDevelopmentPath`: it is a map).
 */
function installExportsProbe(extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXPORTS_PROBE_DIR, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const link = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.symlinkSync(EXPORTS_PROBE_DIR, link);
}

/**
 * A fresh copy of test/integration/workspace for one workbench window. Each window gets its own
 * folder because VS Code keeps per-folder state (open editors, unsaved untitled files, view
 * state) and restores it when that folder is opened again.
 */
export function workspaceCopy(dirs: RunDirs, name: string): string {
  const folder = path.join(dirs.root, 'workspaces', name);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  if (fs.existsSync(WORKSPACE_FIXTURE_DIR)) fs.cpSync(WORKSPACE_FIXTURE_DIR, folder, { recursive: true });
  return folder;
}

/** Deletes a run's folders (kept after a failure, for the logs). */
export function removeRunDirs(dirs: RunDirs): void {
  fs.rmSync(dirs.root, { recursive: true, force: true });
}

function removeStaleRunDirs(): void {
  if (!fs.existsSync(TOOLS_DIR)) return;
  for (const name of fs.readdirSync(TOOLS_DIR)) {
    const pid = /^run-(\d+)(?:-lane\d+)?$/.exec(name)?.[1];
    if (pid !== undefined && !isPidAlive(Number(pid))) {
      fs.rmSync(path.join(TOOLS_DIR, name), { recursive: true, force: true });
    }
  }
}
