import * as vscode from 'vscode';
import { createSystemClock, modelClassOf, type SchedulerSnapshot } from '../pacer/index';
import { AtLimitTimer, spanByDay } from './model/atLimitTimer';
import { UsageTimeline } from './model/usageTimeline';
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
const TIMELINE_STATE = 'claudePacer.usageTimeline.v1';
/** Counters are written to storage at most this often. */
const SAVE_DELAY_MS = 5000;
/** How often "at the limit" time is sampled from scheduler changes, at most. */
const AT_LIMIT_SAMPLE_MS = 1000;

const offset = (ms: number): number => new Date(ms).getTimezoneOffset();
const today = (ms = Date.now()): string => localDay(ms, offset(ms));

/** Whether queued work is held by a limit: a pool throttled or cooling, or a refill or retry wait pending. */
function isHeldByLimits(snapshot: SchedulerSnapshot): boolean {
  return (
    snapshot.pools.some((p) => p.state === 'throttled' || p.state === 'cooling') ||
    snapshot.nextStartAtMs !== undefined ||
    snapshot.nextRetryAtMs !== undefined
  );
}

/**
 * Records usage per key and model class (from every attempt and every finished request), persists
 * it in extension storage (labels and last four characters only), and enforces daily budgets per
 * key through the scheduler's key gate, resetting at local midnight.
 */
export class UsageTracker implements vscode.Disposable {
  readonly ledger: UsageLedger;
  /** Per-minute usage of the last day, for the dashboard. */
  readonly timeline: UsageTimeline;
  readonly #state: vscode.Memento;
  readonly #service: PacerService;
  #budgets: Record<string, DailyBudget>;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #midnightTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #atLimit: AtLimitTimer;
  readonly #onDidChange = new vscode.EventEmitter<void>();
  /** Fires when counters change (the dashboard refreshes on it). */
  readonly onDidChange = this.#onDidChange.event;
  /** Requests counted apart (completions), by request id, until they finish. */
  readonly #categories = new Map<string, UsageCategory>();
  readonly #disposables: vscode.Disposable[] = [];

  /** Loads persisted counters and budgets and starts observing the service. */
  constructor(state: vscode.Memento, service: PacerService) {
    this.#state = state;
    this.#service = service;
    this.ledger = new UsageLedger(state.get(USAGE_STATE));
    this.ledger.prune(lastDays(Date.now(), offset(Date.now())));
    this.timeline = new UsageTimeline(state.get(TIMELINE_STATE));
    this.timeline.prune(Date.now());
    this.#budgets = UsageTracker.#validBudgets(state.get(BUDGET_STATE));
    this.#atLimit = new AtLimitTimer(
      createSystemClock(),
      () => isHeldByLimits(service.scheduler.snapshot()),
      (startMs, endMs) => {
        for (const [day, ms] of spanByDay(startMs, endMs, today, (t) => nextLocalMidnight(t, offset(t))))
          this.ledger.addAtLimit(day, ms);
        this.#changed();
      },
      AT_LIMIT_SAMPLE_MS,
    );
    this.#disposables.push(
      service.observeAttempts((attempt, outcome) => {
        const key = this.#keyInfo(attempt.keyId);
        const modelClass = modelClassOf(attempt.request.model);
        const status = outcome.kind === 'failure' ? outcome.error.status : 200;
        const usage = outcome.kind === 'success' ? outcome.usage : outcome.partialUsage;
        const category = this.#categories.get(attempt.requestId);
        const is429 = status === 429 || (outcome.kind === 'failure' && outcome.error.kind === 'rate_limited');
        this.timeline.add(Date.now(), attempt.keyId, attempt.request.model, {
          requests: 1,
          status429: is429 ? 1 : 0,
          ...(usage
            ? {
                inputTokens: usage.inputTokens,
                cacheWriteTokens: usage.cacheCreationInputTokens,
                cacheReadTokens: usage.cacheReadInputTokens,
                outputTokens: usage.outputTokens,
              }
            : {}),
        });
        this.ledger.add(
          today(),
          key,
          modelClass,
          {
            requests: 1,
            status429: is429 ? 1 : 0,
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
    const offChange = service.scheduler.onChange(() => this.#atLimit.changed());
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
    if (waitMs > 0) this.timeline.add(Date.now(), keyId, model, { waits: 1, waitMs });
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
      const atLimit = Math.round(this.atLimitMs(span, nowMs) / 1000);
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

  /** Time at the limit over `days`, the episode still going on included when `days` holds today. */
  atLimitMs(days: readonly string[], nowMs = Date.now()): number {
    return this.ledger.atLimitMs(days) + (days.includes(today(nowMs)) ? this.#atLimit.openMs() : 0);
  }

  /** How the usage views name a key: its label and last four characters. */
  keyName(keyId: string): string {
    const key = this.#keyInfo(keyId);
    return `${key.label} …${key.last4}`;
  }

  #keyInfo(keyId: string): { keyId: string; label: string; last4: string } {
    const key = this.#service.activeKeys.find((k) => k.id === keyId);
    return { keyId, label: key?.label ?? keyId, last4: key?.last4 ?? '????' };
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
      this.#save();
    }, SAVE_DELAY_MS);
    this.#onDidChange.fire();
  }

  #save(): void {
    this.timeline.prune(Date.now());
    void this.#state.update(USAGE_STATE, this.ledger.toJSON());
    void this.#state.update(TIMELINE_STATE, this.timeline.toJSON());
  }

  dispose(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    if (this.#midnightTimer) clearTimeout(this.#midnightTimer);
    for (const d of this.#disposables) d.dispose();
    this.#atLimit.dispose();
    this.#save();
    this.#onDidChange.dispose();
  }
}
