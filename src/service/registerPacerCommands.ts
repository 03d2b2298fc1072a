import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { askCommand, askForPrompt } from '../commands/askCommand';
import type { Logger } from './logger';
import type { PacerService } from './pacerService';
import { openSettings } from '../settings/configuration';
import { showDetails } from '../status/detailsPick';

/** Registers the scheduler-level commands: details, retry now, cancel queued, log, settings, Ask. */
export function registerPacerCommands(
  context: vscode.ExtensionContext,
  service: PacerService,
  logger: Logger,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showDetails, () => showDetails(service)),
    vscode.commands.registerCommand(COMMANDS.retryNow, () => service.scheduler.retryNow()),
    vscode.commands.registerCommand(COMMANDS.cancelQueued, () => {
      const count = service.scheduler.cancelQueued();
      void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled {0} queued request(s).', count));
      return count;
    }),
    vscode.commands.registerCommand(COMMANDS.showLog, () => logger.show()),
    vscode.commands.registerCommand(COMMANDS.openSettings, () => openSettings()),
    vscode.commands.registerCommand(COMMANDS.ask, async (prompt?: unknown) => {
      const text = typeof prompt === 'string' ? prompt : await askForPrompt();
      if (!text?.trim()) return undefined;
      // Posted into the chat view; the Markdown document is the fallback when the view cannot be shown.
      const inChat = await vscode.commands.executeCommand<unknown>(COMMANDS.chatAsk, text).then(
        (outcome) => outcome,
        () => undefined,
      );
      return inChat ?? askCommand(service, text);
    }),
  );
}
