import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

/** Options for {@link runLogged}. */
export interface RunLoggedOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Output of the command is appended here instead of the terminal. */
  readonly logFile: string;
}

/** Runs a command to completion with its output in a log file; rejects with the log's last lines on a non-zero exit. */
export async function runLogged(
  command: string,
  args: readonly string[],
  options: RunLoggedOptions,
): Promise<void> {
  const log = fs.openSync(options.logFile, 'a');
  fs.writeSync(log, `\n$ ${command} ${args.join(' ')}\n`);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', log, log],
      });
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) {
      throw new Error(
        `\`${command} ${args.join(' ')}\` exited with ${String(code)}.\n${tail(options.logFile, 15)}`,
      );
    }
  } finally {
    fs.closeSync(log);
  }
}

/** The last `lines` lines of a text file, indented, for error messages. */
export function tail(file: string, lines: number): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}
