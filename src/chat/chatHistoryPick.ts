import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatController } from './chatController';
import type { ChatStore } from './chatStore';
import type { Conversation } from './model/chatConversation';
import type { ConversationSummary } from './model/chatHistory';
import { conversationMarkdown, exportFileName } from './model/conversationMarkdown';

interface HistoryItem extends vscode.QuickPickItem {
  readonly conversationId: string;
}

function deleteButton(): vscode.QuickInputButton {
  return { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Delete Conversation') };
}

function exportButton(): vscode.QuickInputButton {
  return { iconPath: new vscode.ThemeIcon('export'), tooltip: vscode.l10n.t('Export as Markdown') };
}

function historyItem(summary: ConversationSummary): HistoryItem {
  const when =
    summary.lastActivityMs > 0 ? new Date(summary.lastActivityMs).toLocaleString(vscode.env.language) : '';
  return {
    label: `${summary.isCurrent ? '$(comment-discussion) ' : ''}${summary.title}`,
    description: summary.isCurrent ? vscode.l10n.t('shown now') : when,
    detail: vscode.l10n.t('{0} question(s)', summary.questions),
    conversationId: summary.id,
    buttons: summary.questions > 0 ? [exportButton(), deleteButton()] : [deleteButton()],
  };
}

/** Says where the export went, with Open to show it in an editor. */
async function announceExport(target: vscode.Uri): Promise<void> {
  const open = vscode.l10n.t('Open');
  const where = vscode.workspace.asRelativePath(target, false);
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Conversation exported to {0}.', where),
    open,
  );
  if (choice === open) await vscode.window.showTextDocument(target);
}

/**
 * Writes `conversation` as Markdown to a file the user picks in a save dialog (offered in the
 * workspace folder, named after its title), then says where. An empty chat, a dismissed dialog
 * or a failed write (said in an error message) export nothing. Returns the file written, if any.
 */
export async function exportConversation(conversation: Conversation): Promise<vscode.Uri | undefined> {
  if (conversation.turns.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to export yet: this chat is empty.'));
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = exportFileName(conversation, vscode.l10n.t);
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Conversation as Markdown'),
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    filters: { Markdown: ['md'] },
  });
  if (!target) return undefined;
  try {
    await vscode.workspace.fs.writeFile(
      target,
      new TextEncoder().encode(conversationMarkdown(conversation, vscode.l10n.t)),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      vscode.l10n.t('The conversation could not be exported to {0}: {1}', target.fsPath, reason),
    );
    return undefined;
  }
  void announceExport(target);
  return target;
}

/** Deletes a conversation; the one shown is replaced first by the newest other one (or a new chat). */
export async function deleteConversation(
  chat: ChatController,
  store: ChatStore,
  conversationId: string,
): Promise<void> {
  if (chat.conversation.id === conversationId) await chat.open(store.successorOf(conversationId, randomUUID));
  await store.delete(conversationId);
}

/**
 * The chat history: this workspace's conversations, newest first, titled by their first question.
 * Choosing one shows it in the chat (resumable: interrupted answers offer Resume); each row has
 * Export as Markdown and Delete buttons. Resolves when the list closes.
 */
export function showChatHistory(chat: ChatController, store: ChatStore): Promise<void> {
  const pick = vscode.window.createQuickPick<HistoryItem>();
  pick.title = vscode.l10n.t('Claude: Chat History');
  pick.placeholder = vscode.l10n.t('Open a conversation of this workspace');
  pick.matchOnDescription = true;
  const refresh = (): void => {
    pick.items = store.list().map(historyItem);
  };
  refresh();
  const disposables = [
    pick.onDidTriggerItemButton(async ({ item, button }) => {
      const conversation =
        item.conversationId === chat.conversation.id ? chat.conversation : store.get(item.conversationId);
      if (!conversation) return;
      if (button.tooltip === exportButton().tooltip) {
        pick.hide();
        await exportConversation(conversation);
        return;
      }
      await deleteConversation(chat, store, conversation.id);
      refresh();
    }),
    pick.onDidAccept(async () => {
      const chosen = pick.selectedItems[0];
      pick.hide();
      const conversation = chosen && store.get(chosen.conversationId);
      if (conversation && conversation.id !== chat.conversation.id) await chat.open(conversation);
    }),
  ];
  const hidden = new Promise<void>((resolve) =>
    disposables.push(
      pick.onDidHide(() => {
        for (const d of disposables) d.dispose();
        pick.dispose();
        resolve();
      }),
    ),
  );
  pick.show();
  return hidden;
}
