import { constants } from 'node:os';

/** Why a script was asked to stop, and the exit code that says so (128 + the signal's number, as a shell would). */
export type StopRequest =
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals; readonly exitCode: number }
  | { readonly kind: 'output closed'; readonly stream: 'stdout' | 'stderr'; readonly exitCode: number }
  | { readonly kind: 'parent exited'; readonly exitCode: number };

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const PARENT_POLL_MS = 250;

/**
 * Calls `onStop` once, on the first of: SIGINT, SIGTERM or SIGHUP; stdout or stderr closing or failing
 * (EPIPE: whoever read our output is gone); or the parent process exiting (npm does not forward
 * SIGHUP, and a shell between npm and us dies of SIGTERM without passing it on). Returns a function
 * that stops watching.
 */
export function watchStopRequests(onStop: (request: StopRequest) => void): () => void {
  let isRequested = false;
  const request = (stop: StopRequest): void => {
    if (isRequested) return;
    isRequested = true;
    onStop(stop);
  };
  const cleanups: (() => void)[] = [];
  for (const signal of SIGNALS) {
    // `on`, not `once`: npm forwards the terminal's Ctrl+C, so the same signal arrives more than
    // once, and a second one without a listener would kill this process mid-teardown.
    const listener = (): void =>
      request({ kind: 'signal', signal, exitCode: 128 + constants.signals[signal] });
    process.on(signal, listener);
    cleanups.push(() => process.off(signal, listener));
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    // The listener also keeps an EPIPE from becoming an uncaught exception.
    const listener = (): void =>
      request({ kind: 'output closed', stream, exitCode: 128 + constants.signals.SIGPIPE });
    process[stream].on('error', listener);
    process[stream].on('close', listener);
    cleanups.push(() => {
      process[stream].off('error', listener);
      process[stream].off('close', listener);
    });
  }
  const parent = process.ppid;
  const poll = setInterval(() => {
    if (process.ppid !== parent) request({ kind: 'parent exited', exitCode: 128 + constants.signals.SIGHUP });
  }, PARENT_POLL_MS);
  poll.unref();
  cleanups.push(() => clearInterval(poll));
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}

/** One line for the person at the terminal: "SIGTERM", "stdout closed", "parent process exited". */
export function describeStopRequest(stop: StopRequest): string {
  if (stop.kind === 'signal') return stop.signal;
  if (stop.kind === 'output closed') return `${stop.stream} closed`;
  return 'parent process exited';
}

/** Writes a line to stderr unless it is closed; a reader that went away must not turn into an error. */
export function tellStderr(line: string): void {
  if (process.stderr.destroyed || !process.stderr.writable) return;
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // closed between the check and the write
  }
}
