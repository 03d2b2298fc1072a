import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  canResume,
  emptyConversation,
  toMessageView,
  toMessageViews,
  updateTurn,
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
import type { HostMessage, WaitBanner, WebviewMessage } from './model/chatProtocol';
import { bannerChanged } from './model/chatWait';
import { answerEndingOf, endedTurn } from './model/answerEnding';
import type { RequestResult } from '../pacer/index';
import type { ProposalStore } from '../commands/proposals';
import { AnswerRun } from './answerRun';
import type { PacerService } from '../service/pacerService';
import { ContextChips } from './chatContext';
import { applyCodeAsDiff, copyCode, insertCode, openLink, type ActionOutcome } from './chatEditorActions';
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
  #conversation: Conversation;
  #view: ChatViewPort | undefined;
  #active: ActiveAnswer | undefined;
  #banner: { readonly banner: WaitBanner; readonly targetMs: number } | undefined;
  #lastStreamSaveMs = 0;
  #isDisposed = false;

  constructor(service: PacerService, store: ChatStore, proposals: ProposalStore) {
    this.#service = service;
    this.#store = store;
    this.#proposals = proposals;
    this.#conversation = store.load(newId);
    this.#chips = new ContextChips(() => this.#postContext());
    this.#disposables.push(this.#chips);
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

  /** Handles a validated message from the page. */
  async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.#postAll();
        return;
      case 'send':
        await this.send(message.text);
        return;
      case 'stop':
        this.stop();
        return;
      case 'retryNow':
        this.#service.scheduler.retryNow();
        this.#refreshBanner();
        return;
      case 'useFallback':
        this.useFallback();
        return;
      case 'newChat':
        await this.newChat();
        return;
      case 'resume':
        await this.resume(message.messageId);
        return;
      case 'copyCode':
        this.#notice(await copyCode(message.code));
        return;
      case 'insertCode':
        this.#notice(await insertCode(message.code));
        return;
      case 'applyCode':
        this.#notice(await applyCodeAsDiff(this.#proposals, message.code));
        return;
      case 'openLink':
        this.#notice(await openLink(message.href));
        return;
      case 'toggleContext':
        this.#chips.toggle(message.kind, message.isEnabled);
        this.#postContext();
        return;
    }
  }

  /** Sends a user message with the enabled context and streams the answer; resolves when it ends. */
  async send(text: string): Promise<ChatAnswerOutcome> {
    if (this.#active) return { messageId: this.#active.messageId, status: 'busy', text: '' };
    const now = Date.now();
    const { attachments } = this.#chips.read();
    const user: ChatTurn = {
      id: newId(),
      role: 'user',
      text,
      status: 'complete',
      createdAtMs: now,
      ...(attachments.length > 0 ? { context: attachments } : {}),
    };
    const assistant: ChatTurn = {
      id: newId(),
      role: 'assistant',
      text: '',
      status: 'pending',
      createdAtMs: now,
      model: this.#service.settings.model,
    };
    this.#conversation = { ...this.#conversation, turns: [...this.#conversation.turns, user, assistant] };
    this.#post({ type: 'state', messages: toMessageViews(this.#conversation), isBusy: true });
    this.#save();
    return this.#answer(assistant.id, 'answer');
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

  /** Starts a new conversation (stopping any answer in progress). */
  async newChat(): Promise<void> {
    const active = this.#active;
    if (active) {
      active.run.stop();
      await active.run.handle.result;
    }
    this.#conversation = emptyConversation(newId());
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
    if (!this.#isDisposed) this.#finish(messageId, plan.request.model, result);
    const text = this.#conversation.turns.find((t) => t.id === messageId)?.text ?? '';
    return { messageId, status: result.status, text };
  }

  #finish(messageId: string, requestModel: string, result: RequestResult): void {
    if (result.status === 'completed') {
      this.#conversation = {
        ...this.#conversation,
        lastCompleted: { atMs: Date.now(), model: requestModel },
      };
    }
    this.#setTurn(
      messageId,
      (t) => endedTurn(t, answerEndingOf(result, t.text.trim() !== '', vscode.l10n.t), vscode.l10n.t),
      false,
    );
    this.#banner = undefined;
    this.#post({ type: 'wait', banner: null });
    const turn = this.#conversation.turns.find((t) => t.id === messageId);
    if (turn) this.#post({ type: 'message', message: toMessageView(turn), isBusy: false });
    this.#save();
    this.#postContext();
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
      this.#banner = undefined;
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
    const banner = active.run.waitBanner(active.messageId, now);
    if (!bannerChanged(this.#banner, banner, now)) return;
    this.#banner = banner ? { banner, targetMs: now + (banner.remainingMs ?? 0) } : undefined;
    this.#post({ type: 'wait', banner: banner ?? null });
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
    if (this.#banner) {
      const remainingMs = Math.max(0, this.#banner.targetMs - Date.now());
      this.#post({ type: 'wait', banner: { ...this.#banner.banner, remainingMs } });
    } else {
      this.#post({ type: 'wait', banner: null });
    }
    this.#postContext();
  }

  #notice(outcome: ActionOutcome): void {
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

function newId(): string {
  return randomUUID();
}
