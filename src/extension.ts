import type * as vscode from 'vscode';
import { registerChat } from './chat/registerChat';
import { registerCodeActions } from './commands/codeActions';
import { registerProposals, type ProposalStore } from './commands/proposals';
import { registerSelectionCommands } from './commands/selectionCommands';
import { offerEnvironmentKey, registerKeyCommands } from './keys/keyCommands';
import { registerLmProvider } from './lmProvider/pacerLmProvider';
import { KeyStore } from './keys/keyStore';
import { Logger } from './service/logger';
import { PacerService } from './service/pacerService';
import { registerPacerCommands } from './service/registerPacerCommands';
import { registerStatusBar } from './status/statusBar';
import { registerUsage } from './usage/usageCommands';
import type { UsageTracker } from './usage/usageTracker';

/** What the extension exposes to other extensions and to its integration tests. */
export interface ClaudePacerApi {
  readonly service: PacerService;
  readonly proposals: ProposalStore;
  readonly usage: UsageTracker;
}

/** Entry point: wires the features together and nothing else. */
export async function activate(context: vscode.ExtensionContext): Promise<ClaudePacerApi> {
  const keys = new KeyStore(context.secrets);
  const logger = new Logger(() => keys.allSecrets());
  context.subscriptions.push(keys, logger);
  await keys.load();
  const service = new PacerService(keys, logger);
  context.subscriptions.push(service);
  registerStatusBar(context, service);
  const usage = registerUsage(context, service);
  registerKeyCommands(context, service, usage);
  registerPacerCommands(context, service, logger);
  const proposals = registerProposals(context);
  registerSelectionCommands(context, service, proposals);
  registerCodeActions(context);
  registerChat(context, service, proposals, logger);
  registerLmProvider(context, service, logger);
  void offerEnvironmentKey(context, service);
  return { service, proposals, usage };
}

/** Nothing to do: every feature disposes through context.subscriptions. */
export function deactivate(): void {}
