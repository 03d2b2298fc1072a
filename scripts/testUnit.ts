/**
 * `npm run test:unit`: node:test over `test/unit/<folder>/*.test.ts` and `test/contract/*.test.ts`,
 * three processes at a time, with the files of one `test/unit/<folder>` in one process.
 *
 * A process per file cost ~0.75 CPU-s each before its first test (Node, tsx and the file's imports
 * loaded again: 148 processes, about half of the tier's CPU), and the tier runs beside the VS Code
 * tier on two cores, so CPU is its wall time. The files of a folder run one after another in their
 * process, as each file's own tests always did; each contract file (real processes, real servers,
 * real time) keeps a process of its own. Each folder's entry file (`.cache/unit-tier/`, gitignored)
 * only imports that folder's test files. One file alone:
 * `node --import tsx --test test/unit/<folder>/<file>.test.ts`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const ENTRIES_DIR = path.join(ROOT, '.cache', 'unit-tier');
const CONCURRENCY = 3;

/** `dir`'s `*.test.ts` files, sorted, as absolute paths. */
function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** An entry file per `test/unit/<folder>` importing its test files; returns the entries' paths. */
function writeFolderEntries(): string[] {
  fs.rmSync(ENTRIES_DIR, { recursive: true, force: true });
  fs.mkdirSync(ENTRIES_DIR, { recursive: true });
  const unitDir = path.join(ROOT, 'test', 'unit');
  const entries: { file: string; count: number }[] = [];
  for (const folder of fs.readdirSync(unitDir).sort()) {
    const dir = path.join(unitDir, folder);
    if (!fs.statSync(dir).isDirectory()) continue;
    const files = testFiles(dir);
    if (files.length === 0) continue;
    const file = path.join(ENTRIES_DIR, `${folder}.test.ts`);
    const imports = files.map((test) => `import ${JSON.stringify(test)};`);
    fs.writeFileSync(
      file,
      `// Written by scripts/testUnit.ts: test/unit/${folder}/ in one process.\n${imports.join('\n')}\n`,
    );
    entries.push({ file, count: files.length });
  }
  // Bigger folders first, so a long one does not start last.
  return entries.sort((a, b) => b.count - a.count).map((entry) => entry.file);
}

const contractFiles = testFiles(path.join(ROOT, 'test', 'contract'));
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${CONCURRENCY}`,
  '--test-reporter=spec',
  // The contract files first: the fault matrix and the clock-skew file are the longest.
  ...contractFiles,
  ...writeFolderEntries(),
];
const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
// A stop sent to this process alone (not its group) reaches the test runner too; this process
// then ends with it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
child.once('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
