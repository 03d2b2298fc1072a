import { spawn } from 'node:child_process';
import { REPO_ROOT } from './paths';
import { SetupError } from './setupError';

/** Bundles the extension with the project's own `node esbuild.js` (into dist/extension.js). */
export async function buildExtension(): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0)
    throw new SetupError(
      'build extension',
      `node esbuild.js exited with ${String(code)}.`,
      'fix the build errors printed above.',
    );
}
