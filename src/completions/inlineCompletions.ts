import * as vscode from 'vscode';
import { createSystemClock, type RequestHandle, type RequestResult } from '../pacer/index';
import type { Logger } from '../service/logger';
import { abortOnCancel } from '../service/cancellation';
import type { PacerService } from '../service/pacerService';
import type { UsageTracker } from '../usage/usageTracker';
import { CompletionCache } from './model/completionCache';
import { CompletionGate } from './model/completionGate';
import { CompletionPause, shedUntilMs } from './model/completionShedding';
import { isCompletionEnabledFor } from './model/completionSwitch';
import { boundedContext, buildFimRequest, type CursorContext } from './model/fimPrompt';
import { trimCompletion } from './model/trimCompletion';
import { CompletionsStatus } from './completionsStatus';

/** Scheduler label of completion requests (logs and the UI; never the prompt). */
const LABEL = 'Inline completion';

/** What a completion request came to, for tests and the log. */
export type CompletionOutcome = 'cached' | 'stale' | 'shed' | 'paused' | 'completed' | 'empty' | 'failed';

/**
 * Ghost-text completions for every file: one fill-in-the-middle request per pause in typing on the
 * background lane, stale ones dropped or aborted, shed (not queued behind chat) when the pool is
 * tight, and typing through a suggestion served from a cache without a request.
 */
export class PacerInlineCompletionProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  readonly #service: PacerService;
  readonly #usage: UsageTracker;
  readonly #logger: Logger;
  readonly #gate: CompletionGate;
  readonly #cache = new CompletionCache();
  readonly #pause = new CompletionPause();
  readonly #status = new CompletionsStatus();
  readonly #outcomes: CompletionOutcome[] = [];

  constructor(service: PacerService, usage: UsageTracker, logger: Logger) {
    this.#service = service;
    this.#usage = usage;
    this.#logger = logger;
    this.#gate = new CompletionGate(createSystemClock(), service.settings['inlineCompletions.debounceMs']);
  }

  /** True while completions are paused after a shed (the status-bar hint shows). */
  get isPaused(): boolean {
    return this.#status.isPaused;
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
    const cached = this.#cache.get(cursor.prefix, cursor.suffix);
    if (cached !== undefined) {
      this.#gate.cancel();
      return this.#answer('cached', cached, position);
    }
    // Also for explicit triggers: some VS Code versions report typing as Invoke (microsoft/vscode#206648).
    this.#gate.debounceMs = settings['inlineCompletions.debounceMs'];
    const cancel = abortOnCancel(token);
    try {
      return await this.#settleAndRequest(document, position, cursor, cancel.signal);
    } finally {
      cancel.dispose();
    }
  }

  async #settleAndRequest(
    document: vscode.TextDocument,
    position: vscode.Position,
    cursor: CursorContext,
    tokenSignal: AbortSignal,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const signal = await this.#gate.settle(tokenSignal);
    if (!signal) return this.#answer('stale');
    if (this.#pause.isPaused(Date.now())) return this.#answer('paused');
    const result = await this.#request(document, cursor, signal);
    if (result === 'shed') return this.#answer('shed');
    if (result.status === 'cancelled' || signal.aborted) return this.#answer('stale');
    if (result.status === 'failed') {
      this.#logger.write('warn', 'completions', `completion failed: ${result.reason.message}`);
      return this.#answer('failed');
    }
    const text = trimCompletion(result.text, cursor);
    if (text === '') return this.#answer('empty');
    this.#cache.set(cursor.prefix, cursor.suffix, text);
    return this.#answer('completed', text, position);
  }

  /** Submits on the background lane; sheds (cancels unsent) a request that would wait too long. */
  async #request(
    document: vscode.TextDocument,
    cursor: CursorContext,
    signal: AbortSignal,
  ): Promise<RequestResult | 'shed'> {
    const settings = this.#service.settings;
    const handle = this.#service.submit({
      request: buildFimRequest({
        ...cursor,
        fileName: vscode.workspace.asRelativePath(document.uri),
        languageId: document.languageId,
        model: settings['inlineCompletions.model'],
        maxTokens: settings['inlineCompletions.maxTokens'],
      }),
      lane: settings['priority.background'],
      signal,
      label: LABEL,
    });
    this.#usage.markCategory(handle.id, 'completions');
    if (this.#shedIfLate(handle)) return 'shed';
    // A completion sent and then held back (a 429's retry-after, a cool-down) is shed as well.
    let isShed = false;
    const off = this.#service.scheduler.onChange(() =>
      queueMicrotask(() => (isShed ||= this.#shedIfLate(handle))),
    );
    const result = await handle.result;
    off();
    return isShed ? 'shed' : result;
  }

  /** Cancels (unsent if queued) and pauses when the request would start more than a second from now. */
  #shedIfLate(handle: RequestHandle): boolean {
    const now = Date.now();
    const shedUntil = shedUntilMs(handle.progress(), now);
    if (shedUntil === undefined) return false;
    handle.cancel();
    this.#pause.pause(shedUntil);
    this.#status.pausedUntil(this.#pause.untilMs);
    const inSeconds = Math.ceil((shedUntil - now) / 1000);
    this.#logger.write('info', 'completions', `shed: it would start in ${inSeconds} s`);
    return true;
  }

  #answer(
    outcome: CompletionOutcome,
    text?: string,
    at?: vscode.Position,
  ): vscode.InlineCompletionItem[] | undefined {
    this.#outcomes.push(outcome);
    if (this.#outcomes.length > 200) this.#outcomes.shift();
    if (text === undefined || at === undefined) return undefined;
    return [new vscode.InlineCompletionItem(text, new vscode.Range(at, at))];
  }

  dispose(): void {
    this.#gate.cancel();
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
  context.subscriptions.push(
    provider,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
  );
  return provider;
}
