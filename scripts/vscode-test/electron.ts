/**
 * `npm run test:electron`: the same integration suite in desktop VS Code through
 * @vscode/test-electron, for contributors whose machine can download VS Code. Offline it stops at
 * once with a one-line explanation. Extension host environment: CLAUDE_PACER_* variables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { buildExtension } from './buildExtension';
import { buildIntegrationSuite, INTEGRATION_INDEX } from './buildIntegration';
import { REPO_ROOT } from './paths';
import { readCountsFile, summaryLine } from './report';
import { createRunDirs, removeRunDirs } from './runDir';
import { runScript } from './teardown';

/** Where @vscode/test-electron keeps its download (gitignored). */
const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test');
const DOWNLOAD_HOST = 'update.code.visualstudio.com';
const REPORT_FILE_ENV = 'CLAUDE_PACER_TEST_REPORT';

async function main(): Promise<number> {
  if (!hasCachedVSCode() && !(await reachable(`https://${DOWNLOAD_HOST}/api/releases/stable`))) {
    console.error(
      `test:electron needs to download VS Code from ${DOWNLOAD_HOST}, which is unreachable from here; run \`npm run test:vscode\` (code-server) instead.`,
    );
    return 1;
  }
  await buildExtension();
  await buildIntegrationSuite();
  const dirs = createRunDirs();
  const reportFile = path.join(dirs.reports, 'integration-report.txt');
  const extensionTestsEnv: Record<string, string> = { [REPORT_FILE_ENV]: reportFile };
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('CLAUDE_PACER_') && value !== undefined) extensionTestsEnv[key] = value;
  }
  let exitCode = 0;
  try {
    await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: INTEGRATION_INDEX,
      extensionTestsEnv,
      launchArgs: [
        dirs.workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        // Electron refuses to run as root with its sandbox on.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
  } catch (error) {
    if (!(error instanceof TestRunFailedError)) {
      console.error(
        `test:electron could not start VS Code: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 1;
    }
    exitCode = 1;
  }
  if (fs.existsSync(reportFile)) console.log(fs.readFileSync(reportFile, 'utf8').trimEnd());
  const counts = readCountsFile(`${reportFile}.json`) ?? { passed: 0, failed: 1, skipped: 0 };
  const passed = exitCode === 0 && counts.failed === 0;
  if (passed) removeRunDirs(dirs);
  console.log(`\n${summaryLine(counts)}`);
  return passed ? 0 : 1;
}

function hasCachedVSCode(): boolean {
  return fs.existsSync(CACHE_DIR) && fs.readdirSync(CACHE_DIR).some((name) => name.startsWith('vscode-'));
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

runScript(main);
