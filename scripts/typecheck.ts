/**
 * `npm run typecheck`: the five TypeScript programs (docs/architecture.md) checked at once, each
 * incrementally: `tsc --incremental` keeps what it learned in `.cache/tsc/` (gitignored), so a run
 * after a small change re-checks only what the change affects. A run when no file of the tree
 * changed since the last clean check (see {@link treeStamp}) checks nothing (~15 CPU-s saved).
 * Exits non-zero when any fails.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Each program's tsconfig folder and the name of its build-info file. */
const PROJECTS: ReadonlyArray<readonly [string, string]> = [
  ['.', 'root'],
  ['src/chat/webview', 'webview'],
  ['src/usage/webview', 'usageWebview'],
  ['test/integration', 'integration'],
  ['test/ui', 'ui'],
];

function check(project: string, name: string): Promise<number> {
  const buildInfo = path.join(ROOT, '.cache', 'tsc', `${name}.tsbuildinfo`);
  const args = [TSC, '-p', project, '--incremental', '--tsBuildInfoFile', buildInfo, '--pretty'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** Folders no program reads a file from (or caches and build output); symlinks are not followed. */
const NOT_INPUTS = new Set([
  '.git',
  '.cache',
  '.tools',
  '.vscode-test',
  'node_modules',
  'artifacts',
  'dist',
  'out',
]);
const STAMP_FILE = path.join(ROOT, '.cache', 'tsc', 'passed.stamp');

/**
 * A hash of every file's path, size and modification time in the tree (but {@link NOT_INPUTS}),
 * package-lock.json and TypeScript's version: what the programs can read. `tsc -b` was tried for
 * this and is not enough: it compares only a program's root files, so a change to a file that a
 * program reaches only through an import (sim/ from the UI checks' program) went unseen.
 */
function treeStamp(): string {
  const hash = createHash('sha256');
  for (const file of ['package-lock.json', 'node_modules/typescript/package.json'])
    hash.update(fs.existsSync(path.join(ROOT, file)) ? fs.readFileSync(path.join(ROOT, file)) : file);
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_INPUTS.has(entry.name)) walk(file);
      } else if (entry.isFile()) {
        const { size, mtimeMs } = fs.statSync(file);
        hash.update(`${path.relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
      }
    }
  };
  walk(ROOT);
  return hash.digest('hex');
}

// Taken before the check: a file changed while tsc runs makes the next run check again.
const stamp = treeStamp();
if (fs.existsSync(STAMP_FILE) && fs.readFileSync(STAMP_FILE, 'utf8') === stamp) {
  console.log('typecheck: no file changed since the last clean check (.cache/tsc/passed.stamp)');
} else {
  fs.rmSync(STAMP_FILE, { force: true });
  void Promise.all(PROJECTS.map(([project, name]) => check(project, name))).then((codes) => {
    const passed = codes.every((code) => code === 0);
    if (passed) fs.writeFileSync(STAMP_FILE, stamp);
    process.exitCode = passed ? 0 : 1;
  });
}
