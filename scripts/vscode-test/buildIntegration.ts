import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { INTEGRATION_OUT_DIR, INTEGRATION_SRC_DIR } from './paths';

/** Compiled runner module the extension host loads (`extensionTestsPath`). */
export const INTEGRATION_INDEX = path.join(INTEGRATION_OUT_DIR, 'index.js');

/** Bundles the runner and each `test/integration/**\/*.test.ts` into `out/integration/`, one file each (vscode and mocha stay external). */
export async function buildIntegrationSuite(): Promise<void> {
  const entryPoints = [
    { in: path.join(INTEGRATION_SRC_DIR, 'index.ts'), out: 'index' },
    ...findTests(INTEGRATION_SRC_DIR).map((file) => ({
      in: file,
      out: path.relative(INTEGRATION_SRC_DIR, file).replace(/\.ts$/, ''),
    })),
  ];
  await esbuild.build({
    entryPoints,
    outdir: INTEGRATION_OUT_DIR,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // Removed afterwards rather than wiping the folder first: another run in this tree may be loading it.
  const built = new Set(entryPoints.map((entry) => path.join(INTEGRATION_OUT_DIR, `${entry.out}.js`)));
  for (const file of listFiles(INTEGRATION_OUT_DIR)) if (!built.has(file)) fs.rmSync(file);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(file) : [file];
  });
}

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'workspace' ? [] : findTests(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}
