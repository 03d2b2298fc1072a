import * as vscode from 'vscode';
import type { CommandOutcome, CommandPort } from './model/workspacePort';

/** How long a new terminal may take to report shell integration. */
const SHELL_INTEGRATION_WAIT_MS = 10_000;
/** Most output kept while a command runs (the tool result is capped again, keeping the end). */
const MAX_CAPTURED_CHARS = 200_000;

function shellIntegrationOf(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration !== undefined) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve(undefined);
    }, SHELL_INTEGRATION_WAIT_MS);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((event) => {
      if (event.terminal !== terminal) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(event.shellIntegration);
    });
  });
}

/** Asks the user to run exactly this command; true only for an explicit "Run". */
async function confirmed(command: string, cwd: vscode.Uri): Promise<boolean> {
  const run = vscode.l10n.t('Run');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Claude wants to run a command in {0}.', vscode.workspace.asRelativePath(cwd, true)),
    { modal: true, detail: command },
    run,
  );
  return answer === run;
}

/**
 * Runs an agent's command in a terminal with shell integration, after the user confirmed that
 * exact command (unless a pre-approved prefix covers it), and captures its output and exit code.
 * Cancelling the run sends Ctrl+C. Without shell integration nothing is run: the output could not
 * be captured, and the model would act on a guess.
 */
export class TerminalCommandPort implements CommandPort {
  readonly #folder: vscode.WorkspaceFolder;

  constructor(folder: vscode.WorkspaceFolder) {
    this.#folder = folder;
  }

  async run(
    command: string,
    cwdAbsolute: string,
    preapproved: boolean,
    signal: AbortSignal,
  ): Promise<CommandOutcome> {
    const cwd = this.#folder.uri.with({ path: cwdAbsolute });
    if (!preapproved && !(await confirmed(command, cwd))) return { kind: 'declined' };
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Claude agent'), cwd });
    terminal.show(true);
    const shell = await shellIntegrationOf(terminal);
    if (shell === undefined || signal.aborted)
      return {
        kind: 'ran',
        exitCode: undefined,
        output: vscode.l10n.t(
          'The command was not run: the terminal has no shell integration, so its output could not be read.',
        ),
      };
    const execution = shell.executeCommand(command);
    const onAbort = (): void => terminal.sendText('\x03', false);
    signal.addEventListener('abort', onAbort, { once: true });
    const exitCode = new Promise<number | undefined>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
        if (event.execution !== execution) return;
        listener.dispose();
        resolve(event.exitCode);
      });
    });
    let output = '';
    try {
      for await (const chunk of execution.read()) output = (output + chunk).slice(-MAX_CAPTURED_CHARS);
      return { kind: 'ran', exitCode: await exitCode, output: stripAnsi(output) };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Output without terminal escape sequences (colours, cursor moves, shell-integration marks). One
 * regular expression, written here rather than adding strip-ansi as a runtime dependency for it.
 */
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching escape sequences is the point
  return text.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]/g, '');
}
