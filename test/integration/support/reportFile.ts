import * as fs from 'node:fs';

/** Environment variable naming the file the suite writes its report to (set by the launchers). */
export const REPORT_FILE_ENV = 'CLAUDE_PACER_TEST_REPORT';

/** Counts written next to the report as `<report>.json` when the run ends. */
export interface SuiteSummary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Appends a line to the report file, or prints it when no report file is set. */
export function writeReportLine(line: string): void {
  const file = process.env[REPORT_FILE_ENV];
  if (file) fs.appendFileSync(file, `${line}\n`);
  else console.log(line);
}

/** Writes the summary file the launchers count from. */
export function writeSummary(summary: SuiteSummary): void {
  const file = process.env[REPORT_FILE_ENV];
  if (file) fs.writeFileSync(`${file}.json`, JSON.stringify(summary));
}

/** Adds an informational line (a measurement, a skip reason) to the report under the running test. */
export function note(message: string): void {
  writeReportLine(`      · ${message}`);
}
