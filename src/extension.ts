import * as vscode from 'vscode';
import { registerChat } from './vscode/chat/registerChat';
import { registerCodeActions } from './vscode/commands/codeActions';
import { registerProposals, type ProposalStore } from './vscode/commands/proposals';
import { registerSelectionCommands } from './vscode/commands/selectionCommands';
import { createEndpointConsent } from './vscode/keys/endpointApproval';
import { offerEnvironmentKey, registerKeyCommands } from './vscode/keys/keyCommands';
import { KeyStore } from './vscode/keys/keyStore';
import { Logger } from './vscode/logger';
import { PacerService } from './vscode/pacerService';
import { createPublicApi, type ClaudePacerPublicApi } from './vscode/publicApi';
import { registerPacerCommands } from './vscode/registerCommands';
import { registerStatusBar } from './vscode/status/statusBar';
import { registerUsage } from './vscode/usage/usageCommands';
import type { UsageTracker } from './vscode/usage/usageTracker';

/** The full API, with the service and through it the key store: only for the extension's own tests (`ExtensionMode.Test`). */
export interface ClaudePacerApi {
  readonly service: PacerService;
  readonly proposals: ProposalStore;
  readonly usage: UsageTracker;
}

/** Entry point: wires the features together and nothing else. */
export async function activate(
  context: vscode.ExtensionContext,
): Promise<ClaudePacerApi | ClaudePacerPublicApi> {
  const keys = new KeyStore(context.secrets);
  const logger = new Logger(() => keys.allSecrets());
  context.subscriptions.push(keys, logger);
  await keys.load();
  const service = new PacerService(keys, logger, createEndpointConsent(context));
  context.subscriptions.push(service);
  registerStatusBar(context, service);
  const usage = registerUsage(context, service);
  registerKeyCommands(context, service, usage);
  registerPacerCommands(context, service, logger);
  const proposals = registerProposals(context);
  registerSelectionCommands(context, service, proposals);
  registerCodeActions(context);
  registerChat(context, service, proposals, logger);
  void offerEnvironmentKey(context, service);
  // Every extension can read these exports: outside tests they hold nothing secret.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { service, proposals, usage }
    : createPublicApi(service);
}

/** Nothing to do: every feature disposes through context.subscriptions. */
export function deactivate(): void {}
