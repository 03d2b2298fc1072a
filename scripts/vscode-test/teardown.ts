import { describeStopRequest, tellStderr, watchStopRequests } from './stopRequests';

/** Something that must be stopped before the process ends. */
export interface Stoppable {
  readonly name: string;
  /** Graceful stop; may take a few seconds. */
  stop(): Promise<void>;
  /** Last resort from the `exit` event, where only synchronous work runs. */
  stopNow(): void;
}

/** Past this, whatever has not stopped is killed (`stopNow`) and the process exits anyway. */
const STOP_DEADLINE_MS = 15_000;

/**
 * Stops everything registered with it, in reverse order: on success, on failure, on uncaught errors,
 * and on any stop request of stopRequests.ts (SIGINT, SIGTERM, SIGHUP, closed output, parent gone).
 */
export class Teardown {
  readonly #items: Stoppable[] = [];
  #running: Promise<void> | undefined;
  #interrupted = false;

  /** Registers process handlers; call once, first thing in a script's main. */
  install(): void {
    watchStopRequests((request) => {
      this.#interrupted = true;
      tellStderr(`\n${describeStopRequest(request)}: stopping…`);
      this.#stopAndExit(request.exitCode);
    });
    const fail = (error: unknown): void => {
      console.error('Unexpected error:', error);
      this.#stopAndExit(1);
    };
    process.on('uncaughtException', fail);
    process.on('unhandledRejection', fail);
    process.on('exit', () => this.#stopAllNow());
  }

  /** True once stopping has begun (a signal, an error or the end of the script). */
  get stopping(): boolean {
    return this.#running !== undefined;
  }

  /** True once a stop request (a signal, closed output, the parent gone) arrived; its handler then exits. */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Adds an item; it is stopped before the items added earlier. */
  add(item: Stoppable): void {
    this.#items.push(item);
  }

  /** Stops every item once; later calls wait for the first. */
  run(): Promise<void> {
    this.#running ??= this.#stopAll();
    return this.#running;
  }

  #stopAndExit(exitCode: number): void {
    // A stop that hangs (a server that never closes) must not keep the process, or its ports, alive.
    setTimeout(() => {
      tellStderr(`Stopping took over ${STOP_DEADLINE_MS / 1000} s; killing what is left.`);
      process.exit(exitCode);
    }, STOP_DEADLINE_MS).unref();
    void this.run().finally(() => process.exit(exitCode));
  }

  #stopAllNow(): void {
    for (const item of this.#items) {
      try {
        item.stopNow();
      } catch {
        // exiting anyway; the next item still gets its chance
      }
    }
  }

  async #stopAll(): Promise<void> {
    for (const item of [...this.#items].reverse()) {
      try {
        await item.stop();
      } catch (error) {
        console.error(`Could not stop ${item.name}:`, error);
        item.stopNow();
      }
    }
  }
}

/**
 * Runs a script's main with a {@link Teardown}: exits with main's code after stopping everything,
 * and on an error prints one explanation (no stack for a {@link SetupError}-like `describe()`) plus `failureLine`.
 */
export function runScript(main: (teardown: Teardown) => Promise<number>, failureLine?: string): void {
  const teardown = new Teardown();
  teardown.install();
  main(teardown).then(
    async (code) => {
      if (teardown.interrupted) return;
      await teardown.run();
      process.exit(code);
    },
    async (error: unknown) => {
      // Interrupted: whatever failed was stopped under its feet; the signal handler exits.
      if (teardown.interrupted) return;
      const describe = (error as { describe?: () => string } | null)?.describe;
      console.error(typeof describe === 'function' ? `\n${describe.call(error)}` : error);
      await teardown.run();
      if (failureLine) console.error(`\n${failureLine}`);
      process.exit(1);
    },
  );
}
