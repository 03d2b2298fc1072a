import * as vscode from 'vscode';
import { registerAgent, type AgentParts } from './agent/registerAgent';
import type { ChatController } from './chat/chatController';
import { askInChat } from './chat/chatQuestions';
import { registerChat } from './chat/registerChat';
import { registerCodeActions } from './commands/codeActions';
import {
  registerInlineCompletions,
  type PacerInlineCompletionProvider,
} from './completions/inlineCompletions';
import { registerProposals, type ProposalStore } from './commands/proposals';
import { registerSelectionCommands } from './commands/selectionCommands';
import { createEndpointConsent } from './keys/endpointApproval';
import { offerEnvironmentKey, registerKeyCommands } from './keys/keyCommands';
import { registerLmProvider } from './lmProvider/pacerLmProvider';
import { KeyStore } from './keys/keyStore';
import { registerTeamRedis } from './keys/teamRedisCommands';
import { TeamRedisPassword } from './keys/teamRedisPassword';
import { Logger } from './service/logger';
import { registerEditorContext } from './onboarding/editorContext';
import { PacerService } from './service/pacerService';
import { createPublicApi, type ClaudePacerPublicApi } from './service/publicApi';
import { registerPacerCommands } from './service/registerPacerCommands';
import { registerStatusBar } from './status/statusBar';
import { registerUsage } from './usage/usageCommands';
import type { UsageDashboard } from './usage/usageDashboard';
import type { UsageTracker } from './usage/usageTracker';

/** The full API, with the service and through it the key store: only for the extension's own tests (`ExtensionMode.Test`). */
export interface ClaudePacerApi {
  readonly service: PacerService;
  readonly proposals: ProposalStore;
  readonly usage: UsageTracker;
  readonly usageDashboard: UsageDashboard;
  readonly completions: PacerInlineCompletionProvider;
  readonly chat: ChatController;
  readonly agent: AgentParts;
}

/** Entry point: wires the features together and nothing else. */
export async function activate(
  context: vscode.ExtensionContext,
): Promise<ClaudePacerApi | ClaudePacerPublicApi> {
  const keys = new KeyStore(context.secrets);
  const teamPassword = new TeamRedisPassword(context.secrets);
  const logger = new Logger(() => [...keys.allSecrets(), teamPassword.value]);
  context.subscriptions.push(keys, teamPassword, logger);
  await Promise.all([keys.load(), teamPassword.load()]);
  const service = new PacerService(keys, logger, createEndpointConsent(context), teamPassword);
  context.subscriptions.push(service);
  registerStatusBar(context, service);
  const { tracker: usage, dashboard: usageDashboard } = registerUsage(context, service);
  registerKeyCommands(context, service, usage);
  registerPacerCommands(context, service, logger);
  registerTeamRedis(context, teamPassword);
  const proposals = registerProposals(context);
  const agent = registerAgent(context, service);
  const chat = registerChat(context, service, proposals, logger, agent.chat);
  registerSelectionCommands(context, service, proposals, (question) => askInChat(chat, question));
  registerCodeActions(context);
  registerEditorContext(context);
  registerLmProvider(context, service, logger);
  const completions = registerInlineCompletions(context, service, usage, logger);
  void offerEnvironmentKey(context, service);
  // Every extension can read these exports: outside tests they hold nothing secret.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { service, proposals, usage, usageDashboard, completions, chat, agent }
    : createPublicApi(service);
}

/** Nothing to do: every feature disposes through context.subscriptions. */
export function deactivate(): void {}
