import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { FileReporter } from './support/fileReporter';
import { REPORT_FILE_ENV, writeReportLine, writeSummary } from './support/reportFile';

/** Optional mocha `grep` pattern for running a subset, e.g. `CLAUDE_PACER_TEST_GREP=Settings`. */
const GREP_ENV = 'CLAUDE_PACER_TEST_GREP';

/**
 * Test runner entry, called by the extension host (code-server via the `payload` URL parameter, or
 * desktop VS Code via @vscode/test-electron). Runs every bundled `*.test.js` next to this file.
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 30_000,
    reporter: process.env[REPORT_FILE_ENV] ? FileReporter : 'spec',
  });
  const grep = process.env[GREP_ENV];
  if (grep) mocha.grep(grep);
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);
  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (error) {
    // A test file that throws while loading stops mocha before any event: still leave a report.
    writeReportLine(
      `Could not load the tests: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    writeSummary({ passed: 0, failed: 1, skipped: 0 });
    throw error;
  }
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return findTestFiles(file);
      return entry.name.endsWith('.test.js') ? [file] : [];
    })
    .sort();
}
