import * as vscode from 'vscode';
import { abortOnCancel } from '../service/cancellation';
import type { PacerService } from '../service/pacerService';
import { reviewByChoice, runAgentTask, type AgentTaskResult } from './agentTask';
import { AgentChat } from './agentChat';
import { outcomeSentence, reviewSentence } from './agentOutcomeText';
import { registerDiffReview, type DiffReview } from './diffReview';
import type { FileChange } from './model/changeSet';

/** Command id of "Claude: Run Agent Task…". */
export const RUN_AGENT_TASK = 'claudePacer.runAgentTask';
/** Scheme of the read-only documents the review's diffs show. */
const REVIEW_SCHEME = 'claude-pacer-agent';

/** Texts behind the review's diff documents, by URI. */
class ReviewDocuments implements vscode.TextDocumentContentProvider {
  readonly #texts = new Map<string, string>();
  #serial = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.#texts.get(uri.toString()) ?? '';
  }

  /** A read-only document showing `text` under `path`'s name. */
  add(path: string, side: 'before' | 'after', text: string | undefined): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: REVIEW_SCHEME,
      path: `/${path}`,
      query: `${side}-${++this.#serial}`,
    });
    this.#texts.set(uri.toString(), text ?? '');
    return uri;
  }
}

function describeChange(change: FileChange): string {
  if (change.originalText === undefined) return vscode.l10n.t('new file');
  if (change.proposedText === undefined) return vscode.l10n.t('deleted');
  return vscode.l10n.t('edited');
}

/** The quick-pick review: one item per file, none picked (nothing lands without a click), a diff button on each. */
function quickPickChoice(
  documents: ReviewDocuments,
): (changes: readonly FileChange[]) => Promise<ReadonlySet<string> | undefined> {
  return (changes) =>
    new Promise((resolve) => {
      const diffButton = {
        iconPath: new vscode.ThemeIcon('diff'),
        tooltip: vscode.l10n.t('Show the change'),
      };
      const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { path: string }>();
      pick.title = vscode.l10n.t("Review Claude's changes");
      pick.placeholder = vscode.l10n.t('Pick the files to accept, then press Enter; Escape rejects them all');
      pick.canSelectMany = true;
      pick.ignoreFocusOut = true;
      pick.items = changes.map((c) => ({
        label: c.path,
        description: describeChange(c),
        path: c.path,
        buttons: [diffButton],
      }));
      pick.onDidTriggerItemButton(({ item }) => {
        const change = changes.find((c) => c.path === item.path);
        if (change === undefined) return;
        const before = documents.add(change.path, 'before', change.originalText);
        const after = documents.add(change.path, 'after', change.proposedText);
        void vscode.commands.executeCommand(
          'vscode.diff',
          before,
          after,
          vscode.l10n.t('{0} (proposed by Claude)', change.path),
          {
            preview: true,
            preserveFocus: true,
          },
        );
      });
      let accepted: ReadonlySet<string> | undefined;
      pick.onDidAccept(() => {
        accepted = new Set(pick.selectedItems.map((i) => i.path));
        pick.hide();
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve(accepted);
      });
      pick.show();
    });
}

async function report(result: AgentTaskResult): Promise<void> {
  const { outcome } = result;
  if (outcome.status === 'cancelled') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The agent run was cancelled; nothing was written.'),
    );
    return;
  }
  const showAnswer = vscode.l10n.t('Show Answer');
  const message = outcomeSentence(outcome);
  const review = reviewSentence(result);
  const text = review === '' ? message : `${message} ${review}`;
  const choice =
    outcome.status === 'answered'
      ? await vscode.window.showInformationMessage(text, showAnswer)
      : await vscode.window.showWarningMessage(text, showAnswer);
  if (choice === showAnswer) {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: outcome.text });
    await vscode.window.showTextDocument(document);
  }
}

/** The agent's parts the chat view and the extension's tests use. */
export interface AgentParts {
  /** The chat view's agent mode. */
  readonly chat: AgentChat;
  /** The change-set review in diffs, with Accept / Reject per file in the diff's title bar. */
  readonly review: DiffReview;
}

/**
 * Registers "Claude: Run Agent Task…" (a task, the run with its progress and Cancel, then the
 * quick-pick review) and the chat's agent mode with its review in diffs.
 */
export function registerAgent(context: vscode.ExtensionContext, service: PacerService): AgentParts {
  const documents = new ReviewDocuments();
  const review = registerDiffReview(context);
  const chat = new AgentChat(service, { review });
  context.subscriptions.push(
    chat,
    vscode.workspace.registerTextDocumentContentProvider(REVIEW_SCHEME, documents),
    vscode.commands.registerCommand(RUN_AGENT_TASK, async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (folder === undefined) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Open a folder first: the agent works in a workspace folder.'),
        );
        return;
      }
      const task = await vscode.window.showInputBox({
        title: vscode.l10n.t('Claude agent'),
        prompt: vscode.l10n.t(
          'What should Claude do in {0}? Edits are proposed for your review.',
          folder.name,
        ),
        ignoreFocusOut: true,
      });
      if (task === undefined || task.trim() === '') return;
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Claude agent'),
          cancellable: true,
        },
        async (progress, token) => {
          const cancel = abortOnCancel(token);
          try {
            return await runAgentTask(service, folder, {
              task,
              review: reviewByChoice(quickPickChoice(documents)),
              signal: cancel.signal,
              onLine: (line) => progress.report({ message: line }),
            });
          } finally {
            cancel.dispose();
          }
        },
      );
      await report(result);
    }),
  );
  return { chat, review };
}
