import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const PACKAGE_TIMEOUT_MS = 120_000;
/** Port 9 (discard) on loopback refuses connections: a proxy there makes any proxied request fail at once. */
const NOWHERE = 'http://127.0.0.1:9';

/** How the packaging run was kept off the network. */
export type Isolation = 'network namespace' | 'proxy to nowhere';

/** A VSIX packaged by {@link packageCleanCopy}; `remove()` deletes it with the copy it was built in. */
export interface PackagedVsix {
  readonly file: string;
  readonly bytes: number;
  /** stdout and stderr of `npm run package`. */
  readonly output: string;
  readonly isolation: Isolation;
  remove(): Promise<void>;
}

/**
 * Runs `npm run package` (its `vscode:prepublish` builds dist/) in a temporary copy of what a clean
 * clone holds — the git-tracked and untracked-but-not-ignored files, so no dist/ — with node_modules
 * linked, stdin closed (a prompt fails instead of waiting) and no network. Throws with the output
 * when packaging fails; the copy is removed then.
 */
export async function packageCleanCopy(): Promise<PackagedVsix> {
  const dir = await mkdtemp(join(tmpdir(), 'pacer-vsix-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await copyCleanTree(dir);
    const file = join(dir, 'claude-pacer.vsix');
    const isolation = canUnshareNetwork() ? 'network namespace' : 'proxy to nowhere';
    const npm = ['npm', 'run', 'package', '--', '--out', file];
    const [command, ...args] = isolation === 'network namespace' ? ['unshare', '-rn', ...npm] : npm;
    const output = await runToEnd(command!, args, dir);
    return { file, bytes: (await stat(file)).size, output, isolation, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function copyCleanTree(to: string): Promise<void> {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // node_modules and .tools may be symlinks a worktree shares (git sees them as untracked files).
  const files = listed
    .split('\0')
    .filter((f) => f !== '' && f !== 'node_modules' && f !== '.tools' && existsSync(join(ROOT, f)));
  for (const file of files) {
    await mkdir(dirname(join(to, file)), { recursive: true });
    await cp(join(ROOT, file), join(to, file));
  }
  await symlink(join(ROOT, 'node_modules'), join(to, 'node_modules'));
}

function canUnshareNetwork(): boolean {
  try {
    execFileSync('unshare', ['-rn', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function offlineEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    HTTP_PROXY: NOWHERE,
    HTTPS_PROXY: NOWHERE,
    http_proxy: NOWHERE,
    https_proxy: NOWHERE,
    NO_PROXY: '',
    no_proxy: '',
  };
}

/** Runs a command with stdin closed, so a `[y/N]` prompt reads end-of-file and fails instead of waiting; resolves with its output. */
function runToEnd(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: offlineEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PACKAGE_TIMEOUT_MS,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`\`${command} ${args.join(' ')}\` ended with ${signal ?? code}:\n${output}`));
    });
  });
}
