import { type Page } from 'playwright-core';

/** What a UI check gets: a fresh workbench page with the extension under development loaded. */
export interface UiCheckContext {
  /** The workbench, already loaded (`.monaco-workbench` visible) unless the check opens it itself; closed after the check. */
  readonly page: Page;
  /** URL that loaded `page` (this check's own copy of the workspace); open it in `page.context().newPage()` for a second window with the same browser profile. */
  readonly workbenchUrl: string;
  /** `publisher.name` of the extension under test. */
  readonly extensionId: string;
  /** The run's user settings file (shared by every check; restore what you change, see `useUserSettings`). */
  readonly userSettingsFile: string;
  /** Saves an extra screenshot named `<check>--<label>.png` of `page`, or of `of` (a second window) (one is always taken at the end). */
  readonly screenshot: (label: string, of?: Page) => Promise<void>;
  /** The run's machine settings file: machine-scoped settings (`claudePacer.coordination.*`) are read from here only. */
  readonly machineSettingsFile: string;
  /** Prints a line under the check's result. */
  readonly log: (message: string) => void;
}

/** One UI check; export a `checks` array of these from a `test/ui/**\/*.check.ts` file. */
export interface UiCheck {
  readonly name: string;
  /** @default 60_000 */
  readonly timeoutMs?: number;
  /**
   * The check loads `workbenchUrl` itself (with its own extension environment, or after writing user
   * settings a new extension host must read at start), so the runner hands it a blank page instead of
   * loading the workbench once for nothing. In a file that shares its workbench only the first
   * check on the page gets the blank page; the next ones get the page as the last one left it.
   */
  readonly opensWorkbench?: boolean;
  run(context: UiCheckContext): Promise<void>;
}
