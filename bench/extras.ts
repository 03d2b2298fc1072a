import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { packageCleanCopy } from '../scripts/packaging/packageVsix';
import type { CoreFigures } from './coreDecisions';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');

/** The core's decision time and memory per queued request, measured in a child with `--expose-gc`. */
export async function coreFigures(): Promise<CoreFigures> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(__dirname, 'coreChild.ts')],
    {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as CoreFigures;
}

/** Size of the packaged VSIX, or why packaging failed. */
export type VsixResult = { readonly bytes: number } | { readonly error: string };

/**
 * Packages a clean copy of the tree with `npm run package` (its `vscode:prepublish` runs the
 * production build there), so the shared tree's dist/ is untouched.
 */
export async function vsixSize(): Promise<VsixResult> {
  try {
    const vsix = await packageCleanCopy();
    await vsix.remove();
    return { bytes: vsix.bytes };
  } catch (error) {
    const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((l) => l.trim());
    const reason = lines.find((l) => /error/i.test(l) && !l.startsWith('at ')) ?? lines.find((l) => l !== '');
    return { error: reason ?? 'unknown error' };
  }
}

/** Extension activation time as measured by the integration suite and recorded in docs/testing.md, if there. */
export async function activationTime(): Promise<string | undefined> {
  const text = await readFile(join(ROOT, 'docs', 'testing.md'), 'utf8').catch(() => '');
  // A table row whose first cell is about activation; its last cell holds the time.
  return /^\|[^|\n]*activat[^|\n]*\|\s*([^|\n]*\d[^|\n]*?)\s*\|\s*$/im.exec(text)?.[1];
}

/** The commit measured, and whether src/ or sim/ had uncommitted changes (others work in the same tree). */
export function sourceVersion(): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'sim')
      .split('\n')
      .filter((l) => l !== '').length;
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty > 0 ? ` + ${dirty} uncommitted file(s) in src/ or sim/` : ''}`;
  } catch {
    return 'commit unknown';
  }
}
