import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatViewPort } from '../chat/chatPorts';
import type { AgentRunView } from '../chat/model/agentRunView';
import type { AgentReviewAction } from '../chat/model/chatProtocol';
import type { PacerService } from '../service/pacerService';
import { outcomeSentence, reviewSentence } from './agentOutcomeText';
import { runAgentTask, type AgentTaskOptions, type AgentTaskResult, type ChangeReviewUi } from './agentTask';
import { AgentRunLog } from './model/agentRunLog';

/** Coalesces a burst of progress (streamed text) into one update of the page at most this often. */
const POST_INTERVAL_MS = 50;

/** How a chat agent run ended, with its id in the conversation. */
export interface AgentChatResult extends AgentTaskResult {
  readonly runId: string;
}

interface ActiveRun {
  readonly log: AgentRunLog;
  readonly abort: AbortController;
}

/** What the reviewing run's buttons in the chat do (DiffReview). */
export interface ReviewActions {
  showPending(): Promise<void>;
  acceptAll(): Promise<void>;
  rejectAll(): Promise<void>;
}

/** What the chat's agent mode needs besides the service. */
export interface AgentChatOptions {
  /** The review of a run's change set (the diff review). */
  readonly review: ChangeReviewUi & ReviewActions;
  /** Overrides for tests (the terminal, a budget). */
  readonly taskOptions?: Pick<AgentTaskOptions, 'commands' | 'budget' | 'externalTools'>;
}

/**
 * The chat view's agent mode: a task from the page runs as an agent run (one at a time) through
 * the scheduler, and its progress shows inline in the conversation (step, tool, the step's wait
 * with Retry now and Cancel), then its change set goes to the review. Cancel stops the run at
 * once; what Claude said until then stays.
 */
export class AgentChat implements vscode.Disposable {
  readonly #service: PacerService;
  readonly #options: AgentChatOptions;
  readonly #updates = new vscode.EventEmitter<AgentRunView>();
  #runs: AgentRunLog[] = [];
  #active: ActiveRun | undefined;
  #view: ChatViewPort | undefined;
  #postTimer: ReturnType<typeof setTimeout> | undefined;

  /** Fires with a run's view every time the page is sent it. */
  readonly onDidUpdate = this.#updates.event;

  constructor(service: PacerService, options: AgentChatOptions) {
    this.#service = service;
    this.#options = options;
  }

  /** True while a run sends steps or waits for its review. */
  get isBusy(): boolean {
    return this.#active !== undefined;
  }

  /** Connects the page (or disconnects it with undefined); a page that connects gets every run. */
  attachView(view: ChatViewPort | undefined): void {
    this.#view = view;
    if (view) this.showAll();
  }

  /** Sends the page every run again (a page that just loaded). */
  showAll(): void {
    this.#view?.post({ type: 'agentRuns', runs: this.#runs.map((r) => r.view) });
  }

  /** A new chat: cancels the run in progress and forgets the runs shown. */
  clear(): void {
    this.#active?.abort.abort();
    this.#runs = this.#active ? [this.#active.log] : [];
    this.showAll();
  }

  /** A reviewing run's button: its undecided diffs again, or Accept / Reject for all of them; only for the run under review. */
  async reviewAction(runId: string, action: AgentReviewAction): Promise<void> {
    const active = this.#active;
    if (active?.log.id !== runId || active.log.view.status !== 'reviewing') return;
    const { review } = this.#options;
    if (action === 'showDiffs') await review.showPending();
    else if (action === 'acceptAll') await review.acceptAll();
    else await review.rejectAll();
  }

  /** Cancels the run `runId` if it is the one in progress. */
  cancel(runId: string): void {
    if (this.#active?.log.id === runId) this.#active.abort.abort();
  }

  /**
   * Runs `task` as an agent run shown in the chat after the message `afterMessageId`; undefined
   * when a run is already in progress or no folder is open (the page is told why).
   */
  async start(task: string, afterMessageId?: string): Promise<AgentChatResult | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder === undefined || this.#active) {
      this.#view?.post({
        type: 'notice',
        level: 'error',
        text: folder
          ? vscode.l10n.t('An agent run is in progress: cancel it or finish its review first.')
          : vscode.l10n.t('Open a folder first: the agent works in a workspace folder.'),
      });
      return undefined;
    }
    const log = new AgentRunLog({
      id: randomUUID(),
      task,
      t: vscode.l10n.t,
      ...(afterMessageId !== undefined ? { afterMessageId } : {}),
    });
    const active: ActiveRun = { log, abort: new AbortController() };
    this.#active = active;
    this.#runs = [...this.#runs, log];
    this.#postNow(log);
    try {
      const result = await runAgentTask(this.#service, folder, {
        ...this.#options.taskOptions,
        task,
        signal: active.abort.signal,
        review: {
          review: (changes, apply) => {
            log.reviewing(
              vscode.l10n.t(
                'Review the {0} proposed files: Accept or Reject each in the title bar of its diff.',
                changes.length,
              ),
            );
            this.#postNow(log);
            return this.#options.review.review(changes, apply);
          },
        },
        onEvent: (event) => {
          if (log.apply(event, Date.now())) this.#postSoon(log);
        },
      });
      const { outcome } = result;
      const note =
        outcome.status === 'cancelled'
          ? vscode.l10n.t('Cancelled; nothing was written.')
          : [outcomeSentence(outcome), reviewSentence(result)].filter((s) => s !== '').join(' ');
      log.end(outcome.status, outcome.text, note);
      return { ...result, runId: log.id };
    } catch (error) {
      log.end('failed', log.view.text, vscode.l10n.t('The agent run failed: {0}', String(error)));
      throw error;
    } finally {
      this.#active = undefined;
      this.#postNow(log);
    }
  }

  #postSoon(log: AgentRunLog): void {
    this.#postTimer ??= setTimeout(() => {
      this.#postTimer = undefined;
      this.#postNow(log);
    }, POST_INTERVAL_MS);
  }

  #postNow(log: AgentRunLog): void {
    if (this.#postTimer !== undefined) clearTimeout(this.#postTimer);
    this.#postTimer = undefined;
    const view = log.view;
    this.#view?.post({ type: 'agentRun', run: view });
    this.#updates.fire(view);
  }

  dispose(): void {
    this.#active?.abort.abort();
    if (this.#postTimer !== undefined) clearTimeout(this.#postTimer);
    this.#updates.dispose();
  }
}
