/**
 * `npm test`: every tier. One lane of the tests in a real VS Code (`npm run test:vscode`) keeps
 * about one core busy (workbench loads; the rest waits on real rate-limit windows), so it starts at
 * once, and the static checks and the unit tier (`npm run lint`, `typecheck`, `test:unit`, one after
 * the other) run beside it on the other core. The VS Code tier's output streams live; each of the others is
 * printed whole when it ends, so the two never interleave line by line. A failing static check or
 * unit test stops the VS Code tier at once. The last line is the whole run's `N passed, N failed`.
 * Beside the unit tier the VS Code tier runs on one lane (one code-server); its second lane starts
 * its code-server at once but takes jobs only when the unit tier is done (`--more-lanes-when`).
 *
 * `--serial` runs the four one after the other instead (the old `npm test`), the VS Code tier on
 * its default two lanes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
  isLive: boolean,
  args: readonly string[] = [],
): Promise<Finished> {
  const child: ChildProcess = spawn(
    'npm',
    ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])],
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

async function runStaticAndUnit(teardown: Teardown): Promise<Counts | undefined> {
  for (const script of ['lint', 'typecheck', 'test:unit']) {
    const startedAt = performance.now();
    const { code, output } = await startNpmScript(script, teardown, false);
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
  // Beside the unit tier one lane: two lanes and the unit tier at once on two cores made UI checks
  // time out (a palette that listed nothing, a chat page slow to show a sent message), also with the
  // unit tier niced (which starved its real-time contract tests: a Redis wait 3 ms off, a 500 ms
  // client timeout). The second lane takes jobs once the unit tier is done: that flaked once on a
  // palette try that failed and ended findCommand's whole wait (now it tries again, 2026-12-07).
  // Alone (--serial), the VS Code tier takes its two lanes at once.
  const unitDone = path.join(os.tmpdir(), `claude-pacer-unit-done-${process.pid}`);
  fs.rmSync(unitDone, { force: true });
  teardown.add({
    name: 'unit-done marker',
    stop: () => Promise.resolve(fs.rmSync(unitDone, { force: true })),
    stopNow: () => fs.rmSync(unitDone, { force: true }),
  });
  if (!isSerial)
    vscode = startNpmScript('test:vscode', teardown, true, ['--lanes', '2', '--more-lanes-when', unitDone]);
  const unit = await runStaticAndUnit(teardown);
  if (unit === undefined) {
    // Returning stops the VS Code tier at once: runScript runs the teardown, which holds it.
    console.error('\nA static check or a unit test failed; the VS Code tier was stopped.');
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    return 1;
  }
  fs.writeFileSync(unitDone, '');
  vscode ??= startNpmScript('test:vscode', teardown, true);
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
