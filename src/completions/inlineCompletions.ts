import * as vscode from 'vscode';
import { createSystemClock } from '../pacer/index';
import type { Logger } from '../service/logger';
import { abortOnCancel } from '../service/cancellation';
import type { PacerService } from '../service/pacerService';
import type { UsageTracker } from '../usage/usageTracker';
import { CompletionBudget } from './model/completionBudget';
import {
  CompletionPipeline,
  type CompletionAnswer,
  type CompletionOutcome,
  type PauseReason,
} from './model/completionPipeline';
import { isCompletionEnabledFor } from './model/completionSwitch';
import { boundedContext, buildFimRequest } from './model/fimPrompt';
import { CompletionsStatus } from './completionsStatus';
import { registerCompletionsToggle } from './completionsToggle';
import type { PacerSettings } from '../settings/model/settings';

/** Scheduler label of completion requests (logs and the UI; never the prompt). */
const label = (): string => vscode.l10n.t('Inline completion');

/**
 * Ghost-text completions for every file: one fill-in-the-middle request per pause in typing on the
 * background lane, stale ones dropped or aborted, shed (not queued behind chat) when the pool is
 * tight or completions' daily budget is spent, and typing through a suggestion served from a
 * cache without a request.
 */
export class PacerInlineCompletionProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  readonly #service: PacerService;
  readonly #pipeline: CompletionPipeline;
  readonly #budget: CompletionBudget;
  readonly #status = new CompletionsStatus();
  readonly #outcomes: CompletionOutcome[] = [];

  constructor(service: PacerService, usage: UsageTracker, logger: Logger) {
    this.#service = service;
    const clock = createSystemClock();
    const spentOn = (day: string): number =>
      usage.ledger
        .summary([day])
        .filter((row) => row.category === 'completions')
        .reduce((sum, row) => sum + row.counters.inputTokens + row.counters.outputTokens, 0);
    this.#budget = new CompletionBudget(clock, spentOn);
    this.#pipeline = new CompletionPipeline(
      {
        clock,
        budget: this.#budget,
        submit: (request, signal) => {
          const handle = service.submit({
            request,
            lane: service.settings['priority.background'],
            signal,
            label: label(),
          });
          usage.markCategory(handle.id, 'completions');
          return handle;
        },
        onChange: (listener) => service.scheduler.onChange(listener),
        onPause: (untilMs, reason) => this.#status.pausedUntil(untilMs, reason),
        log: (level, message) => logger.write(level, 'completions', message),
      },
      service.settings['inlineCompletions.debounceMs'],
    );
  }

  /** True while completions are paused after a shed or by the daily budget (the status-bar hint shows). */
  get isPaused(): boolean {
    return this.#status.isPaused;
  }

  /** Why the status-bar hint shows, when it does. */
  get pauseReason(): PauseReason | undefined {
    return this.#status.reason;
  }

  /** Outcomes of the provider's calls so far, oldest first (diagnostics and tests). */
  get outcomes(): readonly CompletionOutcome[] {
    return this.#outcomes;
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = this.#service.settings;
    if (!isCompletionEnabledFor(settings, document.languageId)) return undefined;
    const cursor = boundedContext(
      document.getText(),
      document.offsetAt(position),
      settings['inlineCompletions.maxPrefixChars'],
      settings['inlineCompletions.maxSuffixChars'],
    );
    // Also for explicit triggers: some VS Code versions report typing as Invoke (microsoft/vscode#206648).
    const cancel = abortOnCancel(token);
    try {
      const answer = await this.#pipeline.complete({
        cursor,
        build: () =>
          buildFimRequest({
            ...cursor,
            fileName: vscode.workspace.asRelativePath(document.uri),
            languageId: document.languageId,
            model: settings['inlineCompletions.model'],
            maxTokens: settings['inlineCompletions.maxTokens'],
          }),
        debounceMs: settings['inlineCompletions.debounceMs'],
        tokensPerDay: settings['inlineCompletions.dailyTokenBudget'],
        cancel: cancel.signal,
      });
      return this.#answer(answer, position);
    } finally {
      cancel.dispose();
    }
  }

  /** Drops what is pending when completions go off, and the budget hint when a new budget lifts it. */
  settingsChanged(settings: PacerSettings): void {
    if (!settings['inlineCompletions.enabled']) this.#pipeline.cancel();
    const budget = settings['inlineCompletions.dailyTokenBudget'];
    if (this.#status.reason === 'budget' && this.#budget.reachedUntilMs(budget) === undefined)
      this.#status.resumed();
  }

  #answer(answer: CompletionAnswer, at: vscode.Position): vscode.InlineCompletionItem[] | undefined {
    this.#outcomes.push(answer.outcome);
    if (this.#outcomes.length > 200) this.#outcomes.shift();
    if (answer.text === undefined) return undefined;
    return [new vscode.InlineCompletionItem(answer.text, new vscode.Range(at, at))];
  }

  dispose(): void {
    this.#pipeline.cancel();
    this.#status.dispose();
  }
}

/** Registers the ghost-text provider for every file; it answers only where the settings turn it on. */
export function registerInlineCompletions(
  context: vscode.ExtensionContext,
  service: PacerService,
  usage: UsageTracker,
  logger: Logger,
): PacerInlineCompletionProvider {
  const provider = new PacerInlineCompletionProvider(service, usage, logger);
  registerCompletionsToggle(context, (settings) => provider.settingsChanged(settings));
  context.subscriptions.push(
    provider,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
  );
  return provider;
}
