import Mocha from 'mocha';
import { type SuiteSummary, writeReportLine, writeSummary } from './reportFile';

const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } =
  Mocha.Runner.constants;

/**
 * Spec-like reporter that appends each line to the report file as it happens (so a crash keeps
 * the lines so far) and writes the counts at the end. The extension host's console reaches the
 * workbench page only as unformatted strings, hence a file.
 */
export class FileReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const failures: { title: string; error: unknown }[] = [];
    const indent = (runnable: Mocha.Runnable | Mocha.Suite): string => '  '.repeat(depth(runnable));
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) writeReportLine(`${indent(suite)}${suite.title}`);
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      counts.passed += 1;
      writeReportLine(`${indent(test)}✓ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: unknown) => {
      counts.failed += 1;
      failures.push({ title: test.fullTitle(), error });
      writeReportLine(`${indent(test)}✗ ${test.title} (failure ${failures.length})`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      counts.skipped += 1;
      writeReportLine(`${indent(test)}- ${test.title} (skipped)`);
    });
    runner.once(EVENT_RUN_END, () => {
      failures.forEach(({ title, error }, index) =>
        writeReportLine(`\n  ${index + 1}) ${title}\n${describeError(error)}`),
      );
      writeSummary(counts satisfies SuiteSummary);
    });
  }
}

function depth(runnable: Mocha.Runnable | Mocha.Suite): number {
  let level = 0;
  for (let parent = runnable.parent; parent && !parent.root; parent = parent.parent) level += 1;
  return level + 1;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text
    .split('\n')
    .filter((line) => !line.includes('node_modules/mocha/'))
    .slice(0, 12)
    .map((line) => `     ${line}`)
    .join('\n');
}
