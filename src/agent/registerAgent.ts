import * as vscode from 'vscode';
import { abortOnCancel } from '../service/cancellation';
import type { PacerService } from '../service/pacerService';
import { adviseOnFailure } from '../status/model/failureAdvice';
import { runAgentTask, type AgentTaskResult, type ChangeReviewUi } from './agentTask';
import type { AgentOutcome } from './model/agentTypes';
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

/** The review: one item per file, none picked (nothing lands without a click), a diff button on each. */
function quickPickReview(documents: ReviewDocuments): ChangeReviewUi {
  return {
    chooseAccepted: (changes) =>
      new Promise((resolve) => {
        const diffButton = {
          iconPath: new vscode.ThemeIcon('diff'),
          tooltip: vscode.l10n.t('Show the change'),
        };
        const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { path: string }>();
        pick.title = vscode.l10n.t("Review Claude's changes");
        pick.placeholder = vscode.l10n.t(
          'Pick the files to accept, then press Enter; Escape rejects them all',
        );
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
      }),
  };
}

/** One sentence for how a run ended, in the user's language (the model's own messages are English). */
function outcomeSentence(outcome: Exclude<AgentOutcome, { status: 'cancelled' }>): string {
  if (outcome.status === 'answered') return vscode.l10n.t('Claude finished in {0} steps.', outcome.steps);
  if (outcome.status === 'stopped') {
    if (outcome.reason === 'max_steps')
      return vscode.l10n.t("Claude stopped at the run's limit of {0} steps.", outcome.steps);
    if (outcome.reason === 'max_input_tokens')
      return vscode.l10n.t(
        'Claude stopped: the run used its budget of input tokens ({0} drawn).',
        outcome.inputTokensDrawn,
      );
    return vscode.l10n.t(
      'Claude stopped: the next step would not fit, even with old tool results compacted.',
    );
  }
  if (outcome.failure.kind === 'request')
    return adviseOnFailure(outcome.failure.reason, vscode.l10n.t).message;
  if (outcome.failure.kind === 'output_limit')
    return vscode.l10n.t("Claude's reply reached its output limit in the middle of a tool call.");
  return vscode.l10n.t('The agent run failed: {0}', outcome.failure.message);
}

async function report(result: AgentTaskResult): Promise<void> {
  const { outcome } = result;
  const landed =
    result.written.length === 0 ? '' : ` ${vscode.l10n.t('Written: {0}.', result.written.join(', '))}`;
  const stale =
    result.stale.length === 0
      ? ''
      : ` ${vscode.l10n.t('Not written, changed meanwhile: {0}.', result.stale.join(', '))}`;
  if (outcome.status === 'cancelled') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The agent run was cancelled; nothing was written.'),
    );
    return;
  }
  const showAnswer = vscode.l10n.t('Show Answer');
  const message = outcomeSentence(outcome);
  const text = `${message}${landed}${stale}`;
  const choice =
    outcome.status === 'answered'
      ? await vscode.window.showInformationMessage(text, showAnswer)
      : await vscode.window.showWarningMessage(text, showAnswer);
  if (choice === showAnswer) {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: outcome.text });
    await vscode.window.showTextDocument(document);
  }
}

/** Registers "Claude: Run Agent Task…": a task, the run with its progress and Cancel, then the review. */
export function registerAgent(context: vscode.ExtensionContext, service: PacerService): void {
  const documents = new ReviewDocuments();
  context.subscriptions.push(
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
              review: quickPickReview(documents),
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
}
