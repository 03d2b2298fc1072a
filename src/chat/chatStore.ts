import * as vscode from 'vscode';
import type { Conversation } from './model/chatConversation';
import {
  conversationById,
  currentOf,
  summaries,
  withConversation,
  withoutConversation,
  type ChatHistory,
  type ConversationSummary,
} from './model/chatHistory';
import { loadHistory, parsePersistedHistory, toPersistedHistory } from './model/chatHistoryPersistence';

/** workspaceState key of the chat history (every conversation of the workspace). */
export const CHAT_HISTORY_KEY = 'claudePacer.chat.history';
/** workspaceState key of the single conversation earlier versions stored; migrated, then cleared. */
export const CHAT_STATE_KEY = 'claudePacer.chat.conversation';

/** While an answer streams, its conversation is saved at most this often. */
const STREAM_SAVE_INTERVAL_MS = 2_000;

/**
 * Persists the workspace's conversations (`context.workspaceState`, rules in model/chatHistory):
 * the one shown and the others to switch back to. Never holds keys.
 */
export class ChatStore {
  readonly #memento: vscode.Memento;
  #history: ChatHistory | undefined;
  #lastStreamSaveMs = 0;

  constructor(memento: vscode.Memento) {
    this.#memento = memento;
  }

  /** The conversation shown when the window closed (queued or streaming answers become interrupted), or a new one. */
  load(newId: () => string): Conversation {
    const history = loadHistory(
      {
        history: this.#memento.get<unknown>(CHAT_HISTORY_KEY),
        legacyConversation: this.#memento.get<unknown>(CHAT_STATE_KEY),
      },
      newId,
      vscode.l10n.t,
    );
    this.#history = history;
    return currentOf(history);
  }

  /** The stored conversation shown, read back and validated (for diagnostics and tests). */
  peek(): Conversation | undefined {
    const stored = parsePersistedHistory(this.#memento.get<unknown>(CHAT_HISTORY_KEY));
    return stored ? conversationById(stored, stored.currentId) : undefined;
  }

  /** The raw stored record, as a reloaded window would read it. */
  record(): unknown {
    return this.#memento.get<unknown>(CHAT_HISTORY_KEY);
  }

  /** Writes `conversation` as the one shown (the history capped to its limits). */
  async save(conversation: Conversation): Promise<void> {
    this.#history = withConversation(
      this.#history ?? { currentId: conversation.id, conversations: [] },
      conversation,
    );
    await this.#memento.update(CHAT_HISTORY_KEY, toPersistedHistory(this.#history));
    if (this.#memento.get<unknown>(CHAT_STATE_KEY) !== undefined)
      await this.#memento.update(CHAT_STATE_KEY, undefined);
  }

  /** Saves a conversation whose answer is streaming, at most every couple of seconds. */
  saveWhileStreaming(conversation: Conversation, nowMs: number): void {
    if (nowMs - this.#lastStreamSaveMs < STREAM_SAVE_INTERVAL_MS) return;
    this.#lastStreamSaveMs = nowMs;
    void this.save(conversation);
  }

  /** The history list, newest first. */
  list(): ConversationSummary[] {
    return this.#history ? summaries(this.#history, vscode.l10n.t) : [];
  }

  /** A stored conversation. */
  get(conversationId: string): Conversation | undefined {
    return this.#history && conversationById(this.#history, conversationId);
  }

  /** The conversation to show after deleting `conversationId` (when it is the one shown). */
  successorOf(conversationId: string, newId: () => string): Conversation {
    const history = this.#history ?? { currentId: conversationId, conversations: [] };
    return currentOf(withoutConversation(history, conversationId, newId));
  }

  /** Deletes a conversation that is not shown. */
  async delete(conversationId: string): Promise<void> {
    if (!this.#history || this.#history.currentId === conversationId) return;
    this.#history = withoutConversation(this.#history, conversationId, () => conversationId);
    await this.#memento.update(CHAT_HISTORY_KEY, toPersistedHistory(this.#history));
  }
}
