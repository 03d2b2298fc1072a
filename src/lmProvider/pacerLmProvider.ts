import * as vscode from 'vscode';
import type { Logger } from '../service/logger';
import { abortOnCancel } from '../service/cancellation';
import type { PacerService } from '../service/pacerService';
import { toLmMessages } from './lmParts';
import { toLmPart } from './model/lmPartShapes';
import { lmFailureOf } from './model/lmFailure';
import { toMessageRequest } from './model/lmRequest';
import { BUILT_IN_MODELS, catalogFromModelList, maxTokensFor, type CatalogModel } from './model/modelCatalog';
import { LM_VENDOR } from './vscodeLmApi';

/** Our models in VS Code's terms, carrying the catalog entry they came from. */
interface PacerModelInformation extends vscode.LanguageModelChatInformation {
  readonly entry: CatalogModel;
}

/**
 * The `claude-pacer` language-model provider: every chat and extension using `vscode.lm` gets
 * Claude through the one scheduler (same lanes, waits, retries and status bar as our own chat).
 */
export class PacerLmProvider
  implements vscode.LanguageModelChatProvider<PacerModelInformation>, vscode.Disposable
{
  readonly #service: PacerService;
  readonly #logger: Logger;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #subscriptions: vscode.Disposable[];
  #catalog: Promise<readonly CatalogModel[]> | undefined;

  /** Fires when keys or settings change, so VS Code asks for the models again. */
  readonly onDidChangeLanguageModelChatInformation = this.#changed.event;

  constructor(service: PacerService, logger: Logger) {
    this.#service = service;
    this.#logger = logger;
    const refresh = (): void => {
      this.#catalog = undefined;
      this.#changed.fire();
    };
    this.#subscriptions = [
      service.keys.onDidChange(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('claudePacer')) refresh();
      }),
    ];
  }

  async provideLanguageModelChatInformation(): Promise<PacerModelInformation[]> {
    if (this.#service.activeKeys.length === 0) return [];
    this.#catalog ??= this.#loadCatalog();
    return (await this.#catalog).map((entry) => ({
      id: entry.id,
      name: entry.name,
      family: entry.family,
      version: entry.id,
      detail: 'Claude Pacer',
      tooltip: vscode.l10n.t('{0}, paced on your rate limits by Claude Pacer', entry.name),
      maxInputTokens: entry.maxInputTokens,
      maxOutputTokens: entry.maxOutputTokens,
      capabilities: { toolCalling: true, imageInput: entry.acceptsImages },
      entry,
    }));
  }

  async provideLanguageModelChatResponse(
    model: PacerModelInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const request = toMessageRequest(toLmMessages(messages), {
      model: model.id,
      maxTokens: maxTokensFor(model.entry, this.#service.settings.maxOutputTokens),
      acceptsImages: model.entry.acceptsImages,
      tools: (options.tools ?? []).map((t) => ({
        name: t.name,
        description: t.description,
        inputSchema: t.inputSchema,
      })),
      isToolRequired: options.toolMode === vscode.LanguageModelChatToolMode.Required,
    });
    const cancel = abortOnCancel(token);
    try {
      const { result } = this.#service.submitForContent({
        request,
        lane: this.#service.settings['priority.languageModels'],
        signal: cancel.signal,
        label: vscode.l10n.t('Language model request'),
        onText: (delta) => progress.report(new vscode.LanguageModelTextPart(delta)),
      });
      const outcome = await result;
      const failure = lmFailureOf(outcome, vscode.l10n.t);
      if (failure?.code === 'Cancelled') throw new vscode.CancellationError();
      if (failure !== undefined) {
        this.#logger.write('warn', 'lm', `language model request failed: ${failure.message}`);
        throw failure.code === undefined
          ? new vscode.LanguageModelError(failure.message)
          : vscode.LanguageModelError[failure.code](failure.message);
      }
      if (outcome.status !== 'completed') return;
      for (const block of outcome.content ?? [])
        if (block.type === 'tool_use')
          progress.report(new vscode.LanguageModelToolCallPart(block.id, block.name, block.input));
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(
    model: PacerModelInformation,
    text: string | vscode.LanguageModelChatRequestMessage,
  ): Promise<number> {
    const messages =
      typeof text === 'string' ? [{ role: 'user' as const, parts: toLmPart(text) }] : toLmMessages([text]);
    const request = toMessageRequest(messages, {
      model: model.id,
      maxTokens: 1,
      acceptsImages: model.entry.acceptsImages,
    });
    return this.#service.countInputTokens(request);
  }

  async #loadCatalog(): Promise<readonly CatalogModel[]> {
    const outcome = await this.#service.listModels();
    if (outcome.kind === 'success') {
      const catalog = catalogFromModelList(outcome.models);
      if (catalog !== undefined) return catalog;
    } else {
      // The list is a convenience: a gateway without it still serves the built-in models.
      this.#logger.write(
        'info',
        'lm',
        `model list unavailable (${outcome.error.kind}); using the built-in models`,
      );
    }
    return BUILT_IN_MODELS;
  }

  dispose(): void {
    this.#changed.dispose();
    for (const d of this.#subscriptions) d.dispose();
  }
}

/** Offers our models to every `vscode.lm` consumer, where the editor has the provider API (VS Code 1.104+). */
export function registerLmProvider(
  context: vscode.ExtensionContext,
  service: PacerService,
  logger: Logger,
): void {
  if (typeof (vscode.lm as Partial<typeof vscode.lm>).registerLanguageModelChatProvider !== 'function') {
    logger.write('info', 'lm', 'this editor has no language-model provider API; the models are not offered');
    return;
  }
  const provider = new PacerLmProvider(service, logger);
  context.subscriptions.push(provider, vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider));
}
