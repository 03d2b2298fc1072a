/**
 * The unit tier's copy of {@link exportBundle}: the same result, kept in `.cache/l10n/` (gitignored)
 * under a hash of everything it is computed from, so a run on an unchanged `src/` reads it instead
 * of parsing every source twice (~9 of the unit tier's ~93 CPU-s). A clean clone (CI) computes it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { exportBundle, type ExportedBundle } from './exportBundle';

const ROOT = resolve(__dirname, '..', '..');
const CACHE_DIR = join(ROOT, '.cache', 'l10n');

/** A hash of each `.ts` file under `srcDir` (path and contents), this folder's scripts and the two parsers' versions. */
function inputsHash(srcDir: string): string {
  const hash = createHash('sha256');
  const sources = readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const scripts = readdirSync(__dirname)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(__dirname, name));
  const parsers = ['@vscode/l10n-dev', 'typescript'].map((name) => join(ROOT, 'node_modules', name, 'package.json'));
  for (const file of [...sources, ...scripts, ...parsers])
    hash.update(`${relative(ROOT, file)}\0`).update(existsSync(file) ? readFileSync(file) : '');
  return hash.digest('hex').slice(0, 16);
}

/** {@link exportBundle} of `srcDir`, read from the cache when its inputs are unchanged. */
export async function cachedExportBundle(srcDir: string): Promise<ExportedBundle> {
  const file = join(CACHE_DIR, `${inputsHash(srcDir)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ExportedBundle;
  const exported = await exportBundle(srcDir);
  rmSync(CACHE_DIR, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(exported));
  return exported;
}
