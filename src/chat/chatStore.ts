import * as vscode from 'vscode';
import { emptyConversation, restoreAfterReload, type Conversation } from './model/chatConversation';
import { parsePersistedChat, toPersisted } from './model/chatPersistence';

/** workspaceState key of the conversation. */
export const CHAT_STATE_KEY = 'claudePacer.chat.conversation';

/** Persists the conversation per workspace (`context.workspaceState`); never holds keys. */
export class ChatStore {
  readonly #memento: vscode.Memento;

  constructor(memento: vscode.Memento) {
    this.#memento = memento;
  }

  /** The stored conversation as it was left (queued or streaming answers become interrupted), or a new one. */
  load(newId: () => string): Conversation {
    const stored = parsePersistedChat(this.#memento.get<unknown>(CHAT_STATE_KEY));
    return stored ? restoreAfterReload(stored, vscode.l10n.t) : emptyConversation(newId());
  }

  /** The raw stored record, validated (for diagnostics and tests). */
  peek(): Conversation | undefined {
    return parsePersistedChat(this.#memento.get<unknown>(CHAT_STATE_KEY));
  }

  /** Writes the conversation (trimmed to the persisted size limit). */
  save(conversation: Conversation): Thenable<void> {
    return this.#memento.update(CHAT_STATE_KEY, toPersisted(conversation));
  }
}
