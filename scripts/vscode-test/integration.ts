import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser } from './browser';
import { INTEGRATION_INDEX } from './buildIntegration';
import { tail } from './exec';
import { REPO_ROOT } from './paths';
import { workbenchUrl } from './payload';
import { type Counts, readCountsFile } from './report';
import { type RunDirs } from './runDir';
import { type CodeServer } from './server';

/** Variable through which the suite learns where to write its report (see test/integration/support/reportFile.ts). */
const REPORT_FILE_ENV = 'CLAUDE_PACER_TEST_REPORT';

/** Options for {@link runIntegrationSuite}. */
export interface IntegrationOptions {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly dirs: RunDirs;
  /** Added to the extension host's environment. */
  readonly extensionEnv: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** Runs the bundled mocha suite inside code-server's extension host, prints its report and returns its counts. */
export async function runIntegrationSuite(options: IntegrationOptions): Promise<Counts> {
  const { server, browser, dirs } = options;
  const reportFile = path.join(dirs.reports, 'integration-report.txt');
  const consoleLog = path.join(dirs.reports, 'integration-console.log');
  const url = workbenchUrl(server.url, server.authority, dirs.workspace, {
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: INTEGRATION_INDEX,
    extensionEnvironment: { ...options.extensionEnv, [REPORT_FILE_ENV]: reportFile },
  });
  const page = await browser.context.newPage();
  page.on('console', (message) => fs.appendFileSync(consoleLog, `[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => fs.appendFileSync(consoleLog, `[pageerror] ${error.message}\n`));
  let exitCode: number | 'timeout';
  try {
    let onExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (onExit = resolve));
    // The workbench calls this when the test runner's promise settles (smoke-test driver only).
    await page.exposeFunction('codeAutomationExit', (code: number) => onExit(code));
    await page.goto(url);
    exitCode = await Promise.race([exited, sleep(options.timeoutMs).then(() => 'timeout' as const)]);
  } finally {
    await page.close();
  }
  if (fs.existsSync(reportFile)) console.log(fs.readFileSync(reportFile, 'utf8').trimEnd());
  const summary = readCountsFile(`${reportFile}.json`);
  if (summary && (exitCode === 0 || summary.failed > 0)) return summary;
  const why =
    exitCode === 'timeout'
      ? `did not finish within ${options.timeoutMs / 1000} s`
      : `exited with ${exitCode} without a summary`;
  console.log(
    `✗ The integration suite ${why}. Last lines of the extension host console (${consoleLog}):\n${tail(consoleLog, 25)}`,
  );
  return { passed: summary?.passed ?? 0, failed: (summary?.failed ?? 0) + 1, skipped: summary?.skipped ?? 0 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
