import type { AgentRunStatus, AgentRunView } from '../model/agentRunView';
import type { AgentReviewAction } from '../model/chatProtocol';
import { formatCountdown } from '../../status/model/countdown';
import { pageText, type PageStringKey, type PageStrings } from '../model/pageStrings';
import { renderMarkdown } from './markdown';
import type { PostToHost } from './waitBannerView';

const STATUS_TEXT: Readonly<Record<AgentRunStatus, PageStringKey>> = {
  running: 'agentRunning',
  reviewing: 'agentReviewing',
  answered: 'agentAnswered',
  stopped: 'statusStopped',
  failed: 'statusFailed',
  cancelled: 'agentCancelled',
};

/** True while a run sends steps or waits for its review: agent mode's Send waits for it. */
export function isRunBusy(run: AgentRunView): boolean {
  return run.status === 'running' || run.status === 'reviewing';
}

/** The wait line of a step ending at `targetMs` (by the page's clock): "Step 4 waits 0:12 for input tokens per minute". */
export function agentWaitText(
  wait: NonNullable<AgentRunView['wait']>,
  targetMs: number,
  nowMs: number,
  strings: PageStrings,
): string {
  if (wait.remainingMs === undefined)
    return pageText(strings, 'agentStepWaitsUnknown', wait.step, wait.reason);
  if (targetMs <= nowMs) return pageText(strings, 'agentStepResuming', wait.step);
  return pageText(strings, 'agentStepWaits', wait.step, formatCountdown(targetMs, nowMs), wait.reason);
}

function part(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label: string, aria: string, onClick: () => void, isSecondary = false): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.setAttribute('aria-label', aria);
  if (isSecondary) b.className = 'secondary';
  b.addEventListener('click', onClick);
  return b;
}

/**
 * One agent run in the conversation: the task, its progress lines, the step being sent, a waiting
 * step with its countdown (`.agent-wait-text`, filled by {@link agentWaitText}) and Retry now /
 * Cancel, what Claude said (sanitised Markdown) and how it ended. User text only via textContent.
 */
export function renderAgentRun(run: AgentRunView, post: PostToHost, strings: PageStrings): HTMLElement {
  const article = part('article', `message assistant agent-run agent-${run.status}`);
  article.dataset['runId'] = run.id;
  article.setAttribute('aria-label', strings.agentRunAria);
  const header = part('header', 'role', strings.agentTask);
  header.append(' ', part('span', 'agent-status', strings[STATUS_TEXT[run.status]]));
  article.append(header, part('p', 'agent-task', run.task));
  const steps = part('ol', 'agent-steps');
  for (const line of run.lines) steps.append(part('li', 'agent-step', line));
  if (run.activity !== undefined && run.wait === undefined)
    steps.append(part('li', 'agent-step agent-activity', run.activity));
  if (steps.childElementCount > 0) article.append(steps);
  if (run.wait !== undefined) {
    const box = part('section', 'agent-wait');
    box.setAttribute('role', 'status');
    box.setAttribute('aria-label', strings.waitAria);
    const text = part('span', 'agent-wait-text');
    // The countdown changes every second: not announced; the step line above is.
    text.setAttribute('aria-live', 'off');
    const actions = part('div', 'wait-actions');
    actions.append(
      button(strings.retryNow, strings.agentRetryNowAria, () => post({ type: 'retryNow' })),
      button(
        strings.cancelWait,
        strings.agentCancelAria,
        () => post({ type: 'cancelAgent', runId: run.id }),
        true,
      ),
    );
    box.append(text, actions);
    article.append(box);
  } else if (run.status === 'running') {
    const actions = part('div', 'wait-actions');
    actions.append(
      button(
        strings.cancelWait,
        strings.agentCancelAria,
        () => post({ type: 'cancelAgent', runId: run.id }),
        true,
      ),
    );
    article.append(actions);
  }
  if (run.text !== '') {
    const body = part('div', 'body');
    body.append(renderMarkdown(run.text, strings));
    article.append(body);
  }
  if (run.note !== undefined) article.append(part('p', 'agent-note', run.note));
  if (run.status === 'reviewing') {
    const actions = part('div', 'wait-actions agent-review-actions');
    const review = (action: AgentReviewAction) => () => post({ type: 'reviewAgent', runId: run.id, action });
    actions.append(
      button(strings.agentShowDiffs, strings.agentShowDiffsAria, review('showDiffs'), true),
      button(strings.agentAcceptAll, strings.agentAcceptAllAria, review('acceptAll')),
      button(strings.agentRejectAll, strings.agentRejectAllAria, review('rejectAll'), true),
    );
    article.append(actions);
  }
  return article;
}

/**
 * The agent runs the page shows, with their rendered articles and the page-clock end of each
 * waiting step's countdown.
 */
export class AgentRunList {
  readonly #post: PostToHost;
  readonly #strings: PageStrings;
  #runs: AgentRunView[] = [];
  readonly #waitEndsMs = new Map<string, number>();
  readonly #articles = new Map<string, HTMLElement>();

  constructor(post: PostToHost, strings: PageStrings) {
    this.#post = post;
    this.#strings = strings;
  }

  /** True when no run is shown. */
  get isEmpty(): boolean {
    return this.#runs.length === 0;
  }

  /** True while a run sends steps or waits for its review. */
  get isBusy(): boolean {
    return this.#runs.some(isRunBusy);
  }

  /** Replaces every run (a page that just loaded, a new chat). */
  setAll(runs: readonly AgentRunView[], nowMs: number): void {
    this.#runs = [];
    this.#waitEndsMs.clear();
    for (const run of runs) this.upsert(run, nowMs);
  }

  /** Adds or replaces a run; true when it was shown already and its article was replaced in place. */
  upsert(run: AgentRunView, nowMs: number): boolean {
    const index = this.#runs.findIndex((r) => r.id === run.id);
    if (index === -1) this.#runs.push(run);
    else this.#runs[index] = run;
    if (run.wait === undefined) this.#waitEndsMs.delete(run.id);
    else this.#waitEndsMs.set(run.id, nowMs + (run.wait.remainingMs ?? 0));
    const shown = this.#articles.get(run.id);
    if (index === -1 || !shown?.isConnected) return false;
    const article = this.#render(run);
    shown.replaceWith(article);
    this.updateCountdowns(nowMs);
    return true;
  }

  /**
   * The conversation's articles with the runs placed among them: each run after the message it
   * followed, runs that followed nothing first, runs whose message is gone last.
   */
  interleave(messages: readonly { readonly id: string; readonly article: HTMLElement }[]): HTMLElement[] {
    this.#articles.clear();
    const ids = new Set(messages.map((m) => m.id));
    const after = (messageId: string | undefined): HTMLElement[] =>
      this.#runs.filter((r) => r.afterMessageId === messageId).map((r) => this.#render(r));
    const orphans = this.#runs.filter((r) => r.afterMessageId !== undefined && !ids.has(r.afterMessageId));
    return [
      ...after(undefined),
      ...messages.flatMap((m) => [m.article, ...after(m.id)]),
      ...orphans.map((r) => this.#render(r)),
    ];
  }

  /** Sets every waiting step's countdown text for `nowMs`. */
  updateCountdowns(nowMs: number): void {
    for (const run of this.#runs) {
      const text = this.#articles.get(run.id)?.querySelector<HTMLElement>('.agent-wait-text');
      const endMs = this.#waitEndsMs.get(run.id);
      if (text && run.wait && endMs !== undefined)
        text.textContent = agentWaitText(run.wait, endMs, nowMs, this.#strings);
    }
  }

  #render(run: AgentRunView): HTMLElement {
    const article = renderAgentRun(run, this.#post, this.#strings);
    this.#articles.set(run.id, article);
    return article;
  }
}
