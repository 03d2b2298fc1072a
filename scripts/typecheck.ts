/**
 * `npm run typecheck`: the four TypeScript programs (docs/architecture.md) checked at once, each
 * incrementally: `tsc --incremental` keeps what it learned in `.cache/tsc/` (gitignored), so a run
 * after a small change re-checks only what the change affects. Exits non-zero when any fails.
 */
import { spawn } from 'node:child_process';
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

void Promise.all(PROJECTS.map(([project, name]) => check(project, name))).then((codes) => {
  process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;
});
