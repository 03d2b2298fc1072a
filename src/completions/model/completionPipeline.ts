import type { Clock, MessageRequest, RequestHandle, RequestResult } from '../../pacer/index';
import type { CompletionBudget } from './completionBudget';
import { CompletionCache } from './completionCache';
import { CompletionGate } from './completionGate';
import { CompletionPause, shedUntilMs } from './completionShedding';
import type { CursorContext } from './fimPrompt';
import { trimCompletion } from './trimCompletion';

/** What a completion request came to, for tests, the log and the benchmark. */
export type CompletionOutcome =
  'cached' | 'stale' | 'shed' | 'paused' | 'budget' | 'completed' | 'empty' | 'failed';

/** Why completions pause: the pool is tight, or their daily token budget is spent. */
export type PauseReason = 'rate_limit' | 'budget';

/** An outcome, with the text to show for `cached` and `completed`. */
export interface CompletionAnswer {
  readonly outcome: CompletionOutcome;
  readonly text?: string;
}

/** What the pipeline needs from its host (the editor, or the benchmark). */
export interface CompletionPorts {
  readonly clock: Clock;
  readonly budget: CompletionBudget;
  /** Submits on the background lane, carrying `signal`. */
  submit(request: MessageRequest, signal: AbortSignal): RequestHandle;
  /** Subscribes to the scheduler's changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Completions pause until `untilMs` (epoch ms). */
  onPause(untilMs: number, reason: PauseReason): void;
  log(level: 'info' | 'warn', message: string): void;
}

/** One call of the provider: the cursor, how to build the request if one is sent, and the settings in force. */
export interface CompletionAsk {
  readonly cursor: CursorContext;
  readonly build: () => MessageRequest;
  readonly debounceMs: number;
  /** The daily completion budget in tokens; 0 = none. */
  readonly tokensPerDay: number;
  /** The editor's cancellation. */
  readonly cancel?: AbortSignal;
}

/**
 * Inline completions without the editor: cache first, then one request per pause in typing (stale
 * ones dropped or aborted), none while paused or over the daily budget, shed rather than queued
 * when the pool would make it wait, and the reply trimmed to the cursor.
 */
export class CompletionPipeline {
  readonly #ports: CompletionPorts;
  readonly #gate: CompletionGate;
  readonly #cache = new CompletionCache();
  readonly #pause = new CompletionPause();

  /** Starts with the debounce of `debounceMs`; each `complete` sets its own. */
  constructor(ports: CompletionPorts, debounceMs: number) {
    this.#ports = ports;
    this.#gate = new CompletionGate(ports.clock, debounceMs);
  }

  /** Answers one call of the provider. */
  async complete(ask: CompletionAsk): Promise<CompletionAnswer> {
    const { prefix, suffix } = ask.cursor;
    const cached = this.#cache.get(prefix, suffix);
    if (cached !== undefined) {
      this.#gate.cancel();
      return { outcome: 'cached', text: cached };
    }
    this.#gate.debounceMs = ask.debounceMs;
    const signal = await this.#gate.settle(ask.cancel);
    if (!signal) return { outcome: 'stale' };
    const budgetUntil = this.#ports.budget.reachedUntilMs(ask.tokensPerDay);
    if (budgetUntil !== undefined) {
      this.#ports.onPause(budgetUntil, 'budget');
      return { outcome: 'budget' };
    }
    if (this.#pause.isPaused(this.#ports.clock.now())) return { outcome: 'paused' };
    const result = await this.#request(ask.build(), signal);
    if (result === 'shed') return { outcome: 'shed' };
    if (result.status === 'cancelled' || signal.aborted) return { outcome: 'stale' };
    if (result.status === 'failed') {
      this.#ports.log('warn', `completion failed: ${result.reason.message}`);
      return { outcome: 'failed' };
    }
    const text = trimCompletion(result.text, ask.cursor);
    if (text === '') return { outcome: 'empty' };
    this.#cache.set(prefix, suffix, text);
    return { outcome: 'completed', text };
  }

  /** Makes whatever is pending stale (e.g. the feature was turned off). */
  cancel(): void {
    this.#gate.cancel();
  }

  /** Submits; sheds (cancels unsent) a request that would wait too long. */
  async #request(request: MessageRequest, signal: AbortSignal): Promise<RequestResult | 'shed'> {
    const handle = this.#ports.submit(request, signal);
    if (this.#shedIfLate(handle)) return 'shed';
    // A completion sent and then held back (a 429's retry-after, a cool-down) is shed as well.
    let isShed = false;
    const off = this.#ports.onChange(() => queueMicrotask(() => (isShed ||= this.#shedIfLate(handle))));
    const result = await handle.result;
    off();
    return isShed ? 'shed' : result;
  }

  /** Cancels (unsent if queued) and pauses when the request would start more than a second from now. */
  #shedIfLate(handle: RequestHandle): boolean {
    const now = this.#ports.clock.now();
    const shedUntil = shedUntilMs(handle.progress(), now);
    if (shedUntil === undefined) return false;
    handle.cancel();
    this.#pause.pause(shedUntil);
    this.#ports.onPause(this.#pause.untilMs, 'rate_limit');
    this.#ports.log('info', `shed: it would start in ${Math.ceil((shedUntil - now) / 1000)} s`);
    return true;
  }
}
