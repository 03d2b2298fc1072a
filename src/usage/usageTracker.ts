import * as vscode from 'vscode';
import { modelClassOf } from '../pacer/index';
import {
  budgetExceeded,
  lastDays,
  localDay,
  nextLocalMidnight,
  UsageLedger,
  type DailyBudget,
  type UsageCategory,
} from './model/usageLedger';
import type { PacerService } from '../service/pacerService';

const USAGE_STATE = 'claudePacer.usage.v1';
const BUDGET_STATE = 'claudePacer.dailyBudgets.v1';
/** Counters are written to storage at most this often. */
const SAVE_DELAY_MS = 5000;
/** How often "at the limit" time is sampled from scheduler changes, at most. */
const AT_LIMIT_SAMPLE_MS = 1000;

const offset = (ms: number): number => new Date(ms).getTimezoneOffset();
const today = (ms = Date.now()): string => localDay(ms, offset(ms));

/**
 * Records usage per key and model class (from every attempt and every finished request), persists
 * it in extension storage (labels and last four characters only), and enforces daily budgets per
 * key through the scheduler's key gate, resetting at local midnight.
 */
export class UsageTracker implements vscode.Disposable {
  readonly ledger: UsageLedger;
  readonly #state: vscode.Memento;
  readonly #service: PacerService;
  #budgets: Record<string, DailyBudget>;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #midnightTimer: ReturnType<typeof setTimeout> | undefined;
  #atLimitSince: number | undefined;
  #lastSampleMs = 0;
  /** Requests counted apart (completions), by request id, until they finish. */
  readonly #categories = new Map<string, UsageCategory>();
  readonly #disposables: vscode.Disposable[] = [];

  /** Loads persisted counters and budgets and starts observing the service. */
  constructor(state: vscode.Memento, service: PacerService) {
    this.#state = state;
    this.#service = service;
    this.ledger = new UsageLedger(state.get(USAGE_STATE));
    this.ledger.prune(lastDays(Date.now(), offset(Date.now())));
    this.#budgets = UsageTracker.#validBudgets(state.get(BUDGET_STATE));
    this.#disposables.push(
      service.observeAttempts((attempt, outcome) => {
        const key = this.#keyInfo(attempt.keyId);
        const modelClass = modelClassOf(attempt.request.model);
        const status = outcome.kind === 'failure' ? outcome.error.status : 200;
        const usage = outcome.kind === 'success' ? outcome.usage : outcome.partialUsage;
        const category = this.#categories.get(attempt.requestId);
        this.ledger.add(
          today(),
          key,
          modelClass,
          {
            requests: 1,
            status429:
              status === 429 || (outcome.kind === 'failure' && outcome.error.kind === 'rate_limited') ? 1 : 0,
            status529:
              status === 529 || (outcome.kind === 'failure' && outcome.error.kind === 'overloaded') ? 1 : 0,
            ...(usage
              ? {
                  inputTokens: usage.inputTokens + usage.cacheCreationInputTokens,
                  outputTokens: usage.outputTokens,
                  cacheReadTokens: usage.cacheReadInputTokens,
                }
              : {}),
          },
          category,
        );
        this.#changed();
      }),
    );
    this.#disposables.push(
      service.onRequestFinished((f) => {
        this.recordWait(f.keyId, f.model, f.waitMs, this.#categories.get(f.requestId));
        this.#categories.delete(f.requestId);
      }),
    );
    const offChange = service.scheduler.onChange(() => this.#sampleAtLimit());
    this.#disposables.push({ dispose: offChange });
    service.scheduler.setKeyGate((keyId, nowMs) => {
      const reason = budgetExceeded(this.ledger.dayTotals(today(nowMs), keyId), this.#budgets[keyId]);
      if (!reason) return undefined;
      this.#armMidnight(nowMs);
      return { kind: 'daily_budget', reason, untilMs: nextLocalMidnight(nowMs, offset(nowMs)) };
    });
  }

  static #validBudgets(raw: unknown): Record<string, DailyBudget> {
    if (typeof raw !== 'object' || raw === null) return {};
    const out: Record<string, DailyBudget> = {};
    for (const [id, b] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof b !== 'object' || b === null) continue;
      const { requestsPerDay, tokensPerDay } = b as Record<string, unknown>;
      const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
      out[id] = {
        ...(ok(requestsPerDay) ? { requestsPerDay } : {}),
        ...(ok(tokensPerDay) ? { tokensPerDay } : {}),
      };
    }
    return out;
  }

  /** Counts a just-submitted request (by its scheduler id) in `category` instead of with all requests. */
  markCategory(requestId: string, category: UsageCategory): void {
    this.#categories.set(requestId, category);
  }

  /** Records the wait of a finished request (submission to end, minus time on the wire). */
  recordWait(keyId: string | undefined, model: string, waitMs: number, category?: UsageCategory): void {
    if (!keyId) return;
    this.ledger.add(today(), this.#keyInfo(keyId), modelClassOf(model), { waitMs }, category);
    this.#changed();
  }

  /** The budget of a key, if any. */
  budgetOf(keyId: string): DailyBudget | undefined {
    return this.#budgets[keyId];
  }

  /** Sets or clears a key's daily budget and re-runs scheduling. */
  async setBudget(keyId: string, budget: DailyBudget | undefined): Promise<void> {
    const next = { ...this.#budgets };
    if (budget && (budget.requestsPerDay !== undefined || budget.tokensPerDay !== undefined))
      next[keyId] = budget;
    else delete next[keyId];
    this.#budgets = next;
    await this.#state.update(BUDGET_STATE, next);
    this.#service.scheduler.refresh();
  }

  /** The "Show Usage" report as Markdown. */
  report(nowMs = Date.now()): string {
    const days = lastDays(nowMs, offset(nowMs));
    const columns = [
      vscode.l10n.t('Key'),
      vscode.l10n.t('Model class'),
      vscode.l10n.t('Requests'),
      vscode.l10n.t('Input tokens'),
      vscode.l10n.t('Output tokens'),
      vscode.l10n.t('Cache reads'),
      vscode.l10n.t('429s'),
      vscode.l10n.t('529s'),
      vscode.l10n.t('Waiting'),
      vscode.l10n.t('Kind'),
    ];
    const section = (title: string, span: string[]): string[] => {
      const rows = this.ledger.summary(span);
      const atLimit = Math.round(this.ledger.atLimitMs(span) / 1000);
      return [
        `## ${title}`,
        '',
        rows.length === 0
          ? vscode.l10n.t('No requests.')
          : [
              `| ${columns.join(' | ')} |`,
              '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
              ...rows.map((r) => {
                const c = r.counters;
                const n = (v: number): string => Math.round(v).toLocaleString('en-US');
                return `| ${r.label.replace(/[|\\`*_[\]<>]/g, '')} …${r.last4} | ${r.modelClass} | ${n(c.requests)} | ${n(c.inputTokens)} | ${n(c.outputTokens)} | ${n(c.cacheReadTokens)} | ${n(c.status429)} | ${n(c.status529)} | ${(c.waitMs / 1000).toFixed(1)} s | ${r.category} |`;
              }),
            ].join('\n'),
        '',
        vscode.l10n.t('Time at the limit (requests waiting for quota): {0} s.', atLimit),
        '',
      ];
    };
    const budgets = Object.entries(this.#budgets).map(([id, b]) => {
      const key = this.#keyInfo(id);
      const used = this.ledger.dayTotals(days.at(-1)!, id);
      const completions = this.ledger.dayTotals(days.at(-1)!, id, 'completions');
      const limits = [
        ...(b.requestsPerDay !== undefined
          ? [vscode.l10n.t('{0}/{1} requests', used.requests, b.requestsPerDay)]
          : []),
        ...(b.tokensPerDay !== undefined
          ? [vscode.l10n.t('{0}/{1} tokens', used.tokens, b.tokensPerDay)]
          : []),
      ].join(', ');
      const spent = vscode.l10n.t(
        '{0} today (completions: {1} requests, {2} tokens)',
        limits,
        completions.requests,
        completions.tokens,
      );
      return `- ${key.label} …${key.last4}: ${spent}`;
    });
    return [
      `# ${vscode.l10n.t('Claude Pacer usage')}`,
      '',
      ...section(vscode.l10n.t('Today ({0})', days.at(-1) ?? ''), days.slice(-1)),
      ...section(vscode.l10n.t('Last 7 days ({0} – {1})', days[0] ?? '', days.at(-1) ?? ''), days),
      `## ${vscode.l10n.t('Daily budgets')}`,
      '',
      ...(budgets.length
        ? budgets
        : [vscode.l10n.t('None set (Claude: Manage API Keys → Set Daily Budget).')]),
      '',
    ].join('\n');
  }

  #keyInfo(keyId: string): { keyId: string; label: string; last4: string } {
    const key = this.#service.activeKeys.find((k) => k.id === keyId);
    return { keyId, label: key?.label ?? keyId, last4: key?.last4 ?? '????' };
  }

  #sampleAtLimit(): void {
    const now = Date.now();
    if (now - this.#lastSampleMs < AT_LIMIT_SAMPLE_MS) return;
    this.#lastSampleMs = now;
    const snapshot = this.#service.scheduler.snapshot();
    const atLimit = snapshot.pools.some((p) => p.state === 'throttled' || p.state === 'cooling');
    if (atLimit && this.#atLimitSince === undefined) this.#atLimitSince = now;
    if (!atLimit && this.#atLimitSince !== undefined) {
      this.ledger.addAtLimit(today(now), now - this.#atLimitSince);
      this.#atLimitSince = undefined;
      this.#changed();
    }
  }

  #armMidnight(nowMs: number): void {
    if (this.#midnightTimer) return;
    const delay = nextLocalMidnight(nowMs, offset(nowMs)) - nowMs + 1000;
    this.#midnightTimer = setTimeout(
      () => {
        this.#midnightTimer = undefined;
        this.#service.scheduler.refresh();
      },
      Math.min(delay, 2_147_483_647),
    );
  }

  #changed(): void {
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      void this.#state.update(USAGE_STATE, this.ledger.toJSON());
    }, SAVE_DELAY_MS);
  }

  dispose(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    if (this.#midnightTimer) clearTimeout(this.#midnightTimer);
    void this.#state.update(USAGE_STATE, this.ledger.toJSON());
    for (const d of this.#disposables) d.dispose();
  }
}
