import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  canResume,
  emptyConversation,
  toMessageView,
  toMessageViews,
  updateTurn,
  withUserMessage,
  type ChatTurn,
  type Conversation,
} from './model/chatConversation';
import {
  buildAnswerRequest,
  buildContinueRequest,
  chatRequestOptions,
  composerBudget,
  inputLimitFor,
  type ChatRequestOptions,
} from './model/chatRequest';
import type { ContextKind, HostMessage } from './model/chatProtocol';
import type { AnswerStart, RewrittenConversation } from './model/conversationEdits';
import { ShownBanner } from './model/shownBanner';
import { answerEndingOf, endedTurn } from './model/answerEnding';
import { ChatFollowUps } from './chatFollowUps';
import type { FollowUpQueue } from './model/followUpQueue';
import type { RequestResult } from '../pacer/index';
import type { ProposalStore } from '../commands/proposals';
import { AnswerRun } from './answerRun';
import type { PacerService } from '../service/pacerService';
import { ContextChips } from './chatContext';
import { runCodeAction, type ActionOutcome } from './chatEditorActions';
import type { ChatStore } from './chatStore';

/** Where the controller sends what the page should show (the webview, when it is open). */
export interface ChatViewPort {
  post(message: HostMessage): void;
}

/** How an answer ended, for commands and tests. */
export interface ChatAnswerOutcome {
  readonly messageId: string;
  readonly status: RequestResult['status'] | 'busy';
  /** The answer's whole text (with any earlier partial text it continued). */
  readonly text: string;
}

/** Saves during streaming at most this often. */
const STREAM_SAVE_INTERVAL_MS = 2_000;

interface ActiveAnswer {
  readonly messageId: string;
  readonly run: AnswerRun;
}

/**
 * The chat's state and behaviour, independent of the webview: the conversation (persisted per
 * workspace), the one answer in progress, its wait banner, and the context chips.
 */
export class ChatController implements vscode.Disposable {
  readonly #service: PacerService;
  readonly #store: ChatStore;
  readonly #proposals: ProposalStore;
  readonly #disposables: vscode.Disposable[] = [];
  readonly #chips: ContextChips;
  readonly #followUps: ChatFollowUps;
  #conversation: Conversation;
  #view: ChatViewPort | undefined;
  #active: ActiveAnswer | undefined;
  readonly #banner = new ShownBanner();
  #lastStreamSaveMs = 0;
  #isDisposed = false;

  constructor(service: PacerService, store: ChatStore, proposals: ProposalStore) {
    this.#service = service;
    this.#store = store;
    this.#proposals = proposals;
    this.#conversation = store.load(randomUUID);
    this.#chips = new ContextChips(() => this.#postContext());
    this.#disposables.push(this.#chips);
    this.#followUps = new ChatFollowUps(
      {
        showQueue: (queue) =>
          this.#post({ type: 'queue', messages: queue.messages, isPaused: queue.isPaused }),
        refuse: (text) => this.#post({ type: 'notice', level: 'error', text }),
      },
      randomUUID,
    );
    const offChange = service.scheduler.onChange(() => {
      if (this.#active) this.#refreshBanner();
    });
    this.#disposables.push(new vscode.Disposable(offChange));
  }

  /** The conversation as it is now. */
  get conversation(): Conversation {
    return this.#conversation;
  }

  /** True while an answer is queued or streaming. */
  get isBusy(): boolean {
    return this.#active !== undefined;
  }

  /** Connects the page (or disconnects it with undefined) and sends it everything. */
  attachView(view: ChatViewPort | undefined): void {
    this.#view = view;
    if (view) this.#postAll();
  }

  /** Sends the page everything again (a page that just loaded). */
  showAll(): void {
    this.#postAll();
  }

  /** Retry now: asks the scheduler to try waiting requests now, and always sends the banner that follows (the page shows "Retrying…" until then). */
  retryNow(): void {
    this.#service.scheduler.retryNow();
    this.#banner.clear();
    this.#refreshBanner();
  }

  /** Turns a context chip on or off. */
  toggleContext(kind: ContextKind, isEnabled: boolean): void {
    this.#chips.toggle(kind, isEnabled);
    this.#postContext();
  }

  /** Runs a code block's or link's action and shows its outcome in the page's notice line. */
  async runCodeAction(message: Parameters<typeof runCodeAction>[1]): Promise<void> {
    this.notify(await runCodeAction(this.#proposals, message));
  }

  /** Drops a queued follow-up before it is sent. */
  cancelQueued(messageId: string): void {
    this.#followUps.cancel(messageId);
  }

  /** The page's Send: now, or queued behind the answer in progress and earlier follow-ups (resuming a paused queue). */
  async sendOrQueue(text: string): Promise<void> {
    if (!this.#active && !this.#followUps.hasWaiting) {
      await this.send(text);
      return;
    }
    if (this.#followUps.add(text) && !this.#active) this.#sendQueued(this.#followUps.resume());
  }

  /** The follow-ups waiting for the answer in progress, and whether they are paused. */
  get followUps(): FollowUpQueue {
    return this.#followUps.queue;
  }

  /** Sends a user message with the enabled context and streams the answer; resolves when it ends. */
  async send(text: string): Promise<ChatAnswerOutcome> {
    const ids: [string, string] = [randomUUID(), randomUUID()];
    const attachments = this.#chips.read().attachments;
    const outcome = await this.rewrite((c, start) => ({
      conversation: withUserMessage(c, { ids, text, attachments, ...start }),
      answerId: ids[1],
    }));
    return outcome ?? { messageId: ids[1], status: 'failed', text: '' };
  }

  /** Replaces the conversation by `change`'s (given the time and model to ask) and answers its pending turn; undefined when it refuses. */
  async rewrite(
    change: (conversation: Conversation, start: AnswerStart) => RewrittenConversation | undefined,
  ): Promise<ChatAnswerOutcome | undefined> {
    if (this.#active) return { messageId: this.#active.messageId, status: 'busy', text: '' };
    const next = change(this.#conversation, { nowMs: Date.now(), model: this.#service.settings.model });
    if (!next) return undefined;
    this.#conversation = next.conversation;
    this.#post({ type: 'state', messages: toMessageViews(this.#conversation), isBusy: true });
    this.#save();
    return this.#answer(next.answerId, 'answer');
  }

  /** Continues an interrupted or stopped answer from its partial text, or sends it again when it has none. */
  async resume(messageId: string): Promise<ChatAnswerOutcome> {
    if (this.#active) return { messageId: this.#active.messageId, status: 'busy', text: '' };
    const turn = this.#conversation.turns.find((t) => t.id === messageId);
    if (!turn || !canResume(turn)) return { messageId, status: 'failed', text: turn?.text ?? '' };
    const mode = turn.text.trim() !== '' ? 'continue' : 'answer';
    this.#setTurn(messageId, (t) => {
      const { note: _note, ...rest } = t;
      return { ...rest, status: 'pending', model: this.#service.settings.model };
    });
    return this.#answer(messageId, mode);
  }

  /** Stops the answer in progress (queued or streaming); its partial text stays. */
  stop(): void {
    this.#active?.run.stop();
  }

  /** Sends the waiting answer with the fallback model instead. */
  useFallback(): void {
    const fallback = this.#service.settings.fallbackModel.trim();
    const active = this.#active;
    if (!active || fallback === '') return;
    active.run.handle.switchModel(fallback);
    this.#setTurn(active.messageId, (t) => ({ ...t, model: fallback }));
    this.#refreshBanner();
  }

  /** Starts a new conversation (stopping any answer in progress, dropping queued follow-ups). */
  async newChat(): Promise<void> {
    this.#followUps.clear();
    const active = this.#active;
    if (active) {
      active.run.stop();
      await active.run.handle.result;
    }
    this.#conversation = emptyConversation(randomUUID());
    this.#save();
    this.#postAll();
  }

  /** The stored record (read back from workspace state), for diagnostics. */
  stored(): Conversation | undefined {
    return this.#store.peek();
  }

  async #answer(messageId: string, mode: 'answer' | 'continue'): Promise<ChatAnswerOutcome> {
    const index = this.#conversation.turns.findIndex((t) => t.id === messageId);
    const options = this.#requestOptions();
    const plan =
      mode === 'answer'
        ? buildAnswerRequest(this.#conversation, index, options)
        : buildContinueRequest(this.#conversation, index, options);
    const run = new AnswerRun(this.#service, {
      plan,
      label: 'Chat',
      onText: (delta) => this.#onText(messageId, delta),
    });
    this.#active = { messageId, run };
    let result: RequestResult;
    try {
      result = await run.settled(() => this.#refreshBanner());
    } finally {
      this.#active = undefined;
    }
    if (!this.#isDisposed) {
      this.#finish(messageId, plan.request.model, result);
      this.#sendQueued(this.#followUps.next(answerEndingOf(result, true).kind === 'completed'));
    }
    const text = this.#conversation.turns.find((t) => t.id === messageId)?.text ?? '';
    return { messageId, status: result.status, text };
  }

  #finish(messageId: string, requestModel: string, result: RequestResult): void {
    const lastCompleted = { atMs: Date.now(), model: requestModel };
    if (result.status === 'completed') this.#conversation = { ...this.#conversation, lastCompleted };
    this.#setTurn(
      messageId,
      (t) => endedTurn(t, answerEndingOf(result, t.text.trim() !== '', vscode.l10n.t), vscode.l10n.t),
      false,
    );
    this.#banner.clear();
    this.#post({ type: 'wait', banner: null });
    const turn = this.#conversation.turns.find((t) => t.id === messageId);
    if (turn) this.#post({ type: 'message', message: toMessageView(turn), isBusy: false });
    this.#save();
    this.#postContext();
  }

  #sendQueued(next: { readonly text: string } | undefined): void {
    if (next) void this.send(next.text);
  }

  #onText(messageId: string, delta: string): void {
    const turn = this.#conversation.turns.find((t) => t.id === messageId);
    if (!turn) return;
    const wasWaiting = turn.status !== 'streaming';
    this.#conversation = updateTurn(this.#conversation, messageId, (t) => ({
      ...t,
      text: t.text + delta,
      status: 'streaming',
    }));
    if (wasWaiting) {
      this.#banner.clear();
      this.#post({ type: 'wait', banner: null });
      const updated = this.#conversation.turns.find((t) => t.id === messageId);
      if (updated) this.#post({ type: 'message', message: toMessageView(updated), isBusy: true });
    } else {
      this.#post({ type: 'delta', messageId, text: delta });
    }
    const now = Date.now();
    if (now - this.#lastStreamSaveMs >= STREAM_SAVE_INTERVAL_MS) {
      this.#lastStreamSaveMs = now;
      this.#save();
    }
  }

  #setTurn(messageId: string, change: (turn: ChatTurn) => ChatTurn, post = true): void {
    this.#conversation = updateTurn(this.#conversation, messageId, change);
    if (!post) return;
    const turn = this.#conversation.turns.find((t) => t.id === messageId);
    if (turn) this.#post({ type: 'message', message: toMessageView(turn), isBusy: this.isBusy });
    this.#save();
  }

  #refreshBanner(): void {
    const active = this.#active;
    if (!active) return;
    const now = Date.now();
    const banner = active.run.waitBanner(active.messageId, now, vscode.l10n.t);
    if (this.#banner.update(banner, now)) this.#post({ type: 'wait', banner: banner ?? null });
  }

  #requestOptions(): ChatRequestOptions {
    return chatRequestOptions(this.#service.settings, Date.now());
  }

  #postContext(): void {
    if (!this.#view || this.#isDisposed) return;
    const { chips, attachments } = this.#chips.read();
    const options = this.#requestOptions();
    const pools = this.#service.scheduler.snapshot().pools;
    const limitTokens = inputLimitFor(options.model, pools, this.#service.settings);
    const budget = composerBudget(this.#conversation, attachments, options, limitTokens);
    this.#post({ type: 'context', chips, budget });
  }

  #postAll(): void {
    this.#post({ type: 'state', messages: toMessageViews(this.#conversation), isBusy: this.isBusy });
    this.#post({ type: 'wait', banner: this.#banner.at(Date.now()) ?? null });
    this.#followUps.show();
    this.#postContext();
  }

  /** Shows `outcome` in the page's notice line. */
  notify(outcome: ActionOutcome): void {
    this.#post({ type: 'notice', level: outcome.level, text: outcome.text });
  }

  #post(message: HostMessage): void {
    this.#view?.post(message);
  }

  #save(): void {
    void this.#store.save(this.#conversation);
  }

  dispose(): void {
    this.#isDisposed = true;
    // Leave the answer's state as it is persisted: after a reload it is offered for Resume.
    this.#active?.run.stop();
    for (const d of this.#disposables) d.dispose();
  }
}
