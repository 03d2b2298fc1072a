/** Something that must be stopped before the process ends. */
export interface Stoppable {
  readonly name: string;
  /** Graceful stop; may take a few seconds. */
  stop(): Promise<void>;
  /** Last resort from the `exit` event, where only synchronous work runs. */
  stopNow(): void;
}

const EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Stops everything registered with it, in reverse order: on success, on failure, on uncaught errors and on Ctrl+C/SIGTERM. */
export class Teardown {
  readonly #items: Stoppable[] = [];
  #running: Promise<void> | undefined;
  #interrupted = false;

  /** Registers process handlers; call once, first thing in a script's main. */
  install(): void {
    for (const signal of Object.keys(EXIT_CODES) as NodeJS.Signals[]) {
      // `on`, not `once`: npm and tsx forward the terminal's Ctrl+C, so the same signal arrives
      // more than once, and a second one without a listener would kill this process mid-teardown.
      process.on(signal, () => {
        if (this.#interrupted) return;
        this.#interrupted = true;
        console.error(`\n${signal}: stopping…`);
        void this.run().finally(() => process.exit(EXIT_CODES[signal]));
      });
    }
    const fail = (error: unknown): void => {
      console.error('Unexpected error:', error);
      void this.run().finally(() => process.exit(1));
    };
    process.on('uncaughtException', fail);
    process.on('unhandledRejection', fail);
    process.on('exit', () => {
      for (const item of this.#items) item.stopNow();
    });
  }

  /** True once stopping has begun (a signal, an error or the end of the script). */
  get stopping(): boolean {
    return this.#running !== undefined;
  }

  /** True once a signal asked the process to stop; its handler then exits with 128 + the signal number. */
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
