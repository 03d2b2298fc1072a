/**
 * `npm test`: every tier. The tests in a real VS Code (`npm run test:vscode`) mostly wait — on real
 * rate-limit windows, on a workbench loading, on a browser — so they start at once, and the static
 * checks and the unit tier (`npm run lint`, `typecheck`, `test:unit`, one after the other) run beside
 * them on the CPU they leave idle. The VS Code tier's output streams live; each of the others is
 * printed whole when it ends, so the two never interleave line by line. A failing static check or
 * unit test stops the VS Code tier at once. The last line is the whole run's `N passed, N failed`.
 * The static checks and the unit tier run at a lower CPU priority (`nice`): the VS Code tier's waits
 * for a workbench or a palette have timeouts and the unit tier has none (its waits are hang guards),
 * so the CPU goes to the VS Code tier first and the unit tier takes what it leaves. With that, the
 * VS Code tier runs on two lanes from the start.
 *
 * `--serial` runs the four one after the other instead (the old `npm test`), the VS Code tier on
 * its default two lanes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { addCounts, type Counts, NO_COUNTS, summaryLine } from './vscode-test/report';
import { SetupError } from './vscode-test/setupError';
import { runScript, type Teardown } from './vscode-test/teardown';
import { ensureRedisServer } from './vscode-test/tools';

interface Finished {
  readonly code: number;
  readonly output: string;
}

/** A child in its own process group, stopped with the group (npm, tsx and what they start). */
function startNpmScript(
  script: string,
  teardown: Teardown,
  how: { readonly isLive: boolean; readonly niceness?: number },
  args: readonly string[] = [],
): Promise<Finished> {
  const { isLive, niceness = 0 } = how;
  const npmArgs = ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])];
  const child: ChildProcess = spawn(
    niceness > 0 ? 'nice' : 'npm',
    niceness > 0 ? ['-n', String(niceness), 'npm', ...npmArgs] : npmArgs,
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (isLive) process.stdout.write(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (isLive) process.stderr.write(chunk);
  });
  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const ended = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8') }),
    );
    child.on('error', (error) =>
      resolve({ code: 1, output: `could not start npm run ${script}: ${error.message}` }),
    );
  });
  teardown.add({
    name: `npm run ${script}`,
    // The VS Code runner stops code-server and Chromium on SIGTERM; the deadline of the teardown bounds the wait.
    stop: async () => {
      killGroup('SIGTERM');
      await ended;
    },
    stopNow: () => killGroup('SIGKILL'),
  });
  return ended;
}

/** Counts from node:test's closing lines (`ℹ pass N`, `ℹ fail N`, `ℹ skipped N`). */
function nodeTestCounts(output: string): Counts {
  const count = (name: string): number =>
    Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail'), skipped: count('skipped') };
}

/** `N passed, N failed` of the VS Code runner: its last such line. */
function runnerCounts(output: string): Counts {
  const lines = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)];
  const last = lines.at(-1);
  if (!last) return NO_COUNTS;
  return { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) };
}

/** `nice` value of the static checks and the unit tier beside the VS Code tier (see the file's comment). */
const BESIDE_NICENESS = 10;

async function runStaticAndUnit(teardown: Teardown, niceness: number): Promise<Counts | undefined> {
  for (const script of ['lint', 'typecheck', 'test:unit']) {
    const startedAt = performance.now();
    const { code, output } = await startNpmScript(script, teardown, { isLive: false, niceness });
    const took = ((performance.now() - startedAt) / 1000).toFixed(1);
    process.stdout.write(`\n▶ npm run ${script}\n${output}${output.endsWith('\n') ? '' : '\n'}`);
    console.log(`◀ npm run ${script}: ${took} s${code === 0 ? '' : ` (exit ${code})`}`);
    if (code !== 0) return undefined;
    if (script === 'test:unit') return nodeTestCounts(output);
  }
  return NO_COUNTS;
}

async function main(teardown: Teardown): Promise<number> {
  const isSerial = process.argv.includes('--serial');
  const startedAt = performance.now();
  // Before any tier: the unit tier's contract tests need it, and two apt-gets at once would collide.
  try {
    await ensureRedisServer((line) => console.log(line));
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(error.describe());
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    return 1;
  }
  let vscode: Promise<Finished> | undefined;
  // Two lanes and the unit tier at once at the same priority on two cores made UI checks time out
  // (a palette that listed nothing, a chat page slow to show a sent message), and so did a second
  // lane opened once the unit tier was done (a palette that lost its filter: a palette try that
  // failed ended the whole wait, mended in test/ui/workbench.ts). Beside the VS Code tier the unit
  // tier now runs niced, so it takes only the CPU the lanes leave.
  if (!isSerial) vscode = startNpmScript('test:vscode', teardown, { isLive: true }, ['--lanes', '2']);
  const unit = await runStaticAndUnit(teardown, isSerial ? 0 : BESIDE_NICENESS);
  if (unit === undefined) {
    // Returning stops the VS Code tier at once: runScript runs the teardown, which holds it.
    console.error('\nA static check or a unit test failed; the VS Code tier was stopped.');
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    return 1;
  }
  vscode ??= startNpmScript('test:vscode', teardown, { isLive: true });
  const { code, output } = await vscode;
  const ran = runnerCounts(output);
  const total = addCounts(
    unit,
    code === 0 || ran.failed > 0 ? ran : { passed: ran.passed, failed: 1, skipped: 0 },
  );
  console.log(`\nnpm test: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  console.log(summaryLine(total));
  return code === 0 && total.failed === 0 ? 0 : 1;
}

runScript(main, '0 passed, 1 failed');
