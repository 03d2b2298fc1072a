import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
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

async function copyIfPresent(name: string, to: string): Promise<void> {
  await cp(join(ROOT, name), join(to, name), { recursive: true }).catch(() => undefined);
}

/**
 * Builds with the project's own `esbuild.js --production` and packages with
 * `vsce package --no-dependencies`, both inside a temporary copy, so the shared tree's dist/ is untouched.
 */
export async function vsixSize(): Promise<VsixResult> {
  const dir = await mkdtemp(join(tmpdir(), 'pacer-vsix-'));
  try {
    for (const linked of ['src', 'node_modules']) await symlink(join(ROOT, linked), join(dir, linked));
    for (const file of [
      'package.json',
      'tsconfig.json',
      '.vscodeignore',
      'LICENSE',
      'CHANGELOG.md',
      'README.md',
      'media',
    ])
      await copyIfPresent(file, dir);
    await run(process.execPath, [join(ROOT, 'esbuild.js'), '--production'], { cwd: dir });
    for (const linked of ['src', 'node_modules', 'tsconfig.json'])
      await rm(join(dir, linked), { force: true });
    const out = join(dir, 'claude-pacer.vsix');
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    await run(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', out],
      {
        cwd: dir,
        maxBuffer: 1 << 20,
      },
    );
    return { bytes: (await stat(out)).size };
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    const lines = `${e.stderr ?? ''}\n${e.message ?? String(error)}`.split('\n').map((l) => l.trim());
    const reason = lines.find((l) => /error/i.test(l) && !l.startsWith('at ')) ?? lines.find((l) => l !== '');
    return { error: reason ?? 'unknown error' };
  } finally {
    await rm(dir, { recursive: true, force: true });
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
