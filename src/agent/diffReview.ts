import * as vscode from 'vscode';
import type { ApplyFile, ChangeReviewUi } from './agentTask';
import type { FileChange } from './model/changeSet';
import { ReviewSession, type ReviewResult } from './model/reviewSession';

/** Scheme of the read-only text Claude's change was made against (the diff's left side). */
export const AGENT_ORIGINAL_SCHEME = 'claude-pacer-agent-original';
/** Scheme of the read-only proposed text (the diff's right side); the diff's title buttons show for it. */
export const AGENT_PROPOSED_SCHEME = 'claude-pacer-agent-proposed';
/** Context key: true while a change set waits for the user's review. */
const REVIEW_PENDING_CONTEXT = 'claudePacer.agentReviewPending';

interface OpenReview {
  readonly id: number;
  readonly session: ReviewSession;
  readonly apply: ApplyFile;
  readonly resolve: (result: ReviewResult) => void;
}

/** The review and file a diff document belongs to: its path is `/<review id>/<file path>`. */
function parseReviewUri(uri: vscode.Uri): { readonly id: number; readonly path: string } | undefined {
  if (uri.scheme !== AGENT_ORIGINAL_SCHEME && uri.scheme !== AGENT_PROPOSED_SCHEME) return undefined;
  const match = /^\/(\d+)\/(.+)$/.exec(uri.path);
  return match ? { id: Number(match[1]), path: match[2] ?? '' } : undefined;
}

/**
 * The change-set review in diff editors: one diff per file (the text Claude read against its
 * proposal, both read-only), with Accept / Reject for that file and Accept All / Reject All in the
 * diff's title bar. An accepted file is written at once, through the run's version check; nothing
 * is written without a click. The review ends when every file is decided; a newer review ends an
 * older one, leaving its undecided files unwritten.
 */
export class DiffReview implements ChangeReviewUi, vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #decided = new vscode.EventEmitter<string>();
  #serial = 0;
  #open: OpenReview | undefined;

  /** Fires with a file's path when the user decided on it and it was written, refused or rejected. */
  readonly onDidDecide = this.#decided.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = parseReviewUri(uri);
    const open = this.#open;
    if (!target || open?.id !== target.id) return '';
    const change = open.session.changes.find((c) => c.path === target.path);
    return (uri.scheme === AGENT_ORIGINAL_SCHEME ? change?.originalText : change?.proposedText) ?? '';
  }

  /** The proposed side's URI of `path` in the open review (what the diff's title buttons pass), if any. */
  proposedUri(path: string): vscode.Uri | undefined {
    const open = this.#open;
    if (open?.session.decisionOf(path) === undefined) return undefined;
    return vscode.Uri.from({ scheme: AGENT_PROPOSED_SCHEME, path: `/${open.id}/${path}` });
  }

  /** Opens a diff per file and resolves when every file is decided. */
  async review(changes: readonly FileChange[], apply: ApplyFile): Promise<ReviewResult> {
    await this.#finish(this.#open);
    const session = new ReviewSession(changes);
    const id = ++this.#serial;
    const result = new Promise<ReviewResult>((resolve) => {
      this.#open = { id, session, apply, resolve };
    });
    if (session.isDone) await this.#finish(this.#open);
    else await vscode.commands.executeCommand('setContext', REVIEW_PENDING_CONTEXT, true);
    await this.#showDiffs(id, changes, changes);
    return result;
  }

  /** Opens the diffs of the files still undecided again (a diff the user closed). */
  async showPending(): Promise<void> {
    const open = this.#open;
    if (!open) return this.#noReview();
    await this.#showDiffs(open.id, open.session.changes, open.session.pending);
  }

  /** Opens a diff for each of `shown`, titled with its place among `all`. */
  async #showDiffs(id: number, all: readonly FileChange[], shown: readonly FileChange[]): Promise<void> {
    for (const [index, change] of shown.entries()) {
      const side = (scheme: string): vscode.Uri => vscode.Uri.from({ scheme, path: `/${id}/${change.path}` });
      await vscode.commands.executeCommand(
        'vscode.diff',
        side(AGENT_ORIGINAL_SCHEME),
        side(AGENT_PROPOSED_SCHEME),
        vscode.l10n.t(
          '{0} (proposed by Claude, {1} of {2})',
          change.path,
          all.indexOf(change) + 1,
          all.length,
        ),
        // Not preview tabs: each file keeps its diff until the user decides on it.
        { preview: false, preserveFocus: index > 0 },
      );
    }
  }

  /** Accept on the diff's title: writes the file the diff shows (`uri`, else the active diff's) if it did not change meanwhile. */
  async accept(uri?: unknown): Promise<void> {
    const target = this.#target(uri);
    if (target) await this.#accept(target.open, target.path);
  }

  /** Reject on the diff's title: drops the file's change and closes its diff. */
  async reject(uri?: unknown): Promise<void> {
    const target = this.#target(uri);
    if (target && target.open.session.reject(target.path))
      await this.#afterDecision(target.open, target.path);
  }

  /** Accepts every undecided file of the open review. */
  async acceptAll(): Promise<void> {
    const open = this.#open;
    if (!open) return this.#noReview();
    for (const change of open.session.pending) await this.#accept(open, change.path);
  }

  /** Rejects every undecided file of the open review. */
  async rejectAll(): Promise<void> {
    const open = this.#open;
    if (!open) return this.#noReview();
    for (const change of open.session.pending)
      if (open.session.reject(change.path)) await this.#afterDecision(open, change.path);
  }

  async #accept(open: OpenReview, path: string): Promise<void> {
    const change = open.session.accept(path);
    if (!change) return;
    let isWritten = false;
    try {
      isWritten = await open.apply(change);
    } finally {
      open.session.applied(path, isWritten);
    }
    if (!isWritten)
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Not written: {0} changed since Claude read it. Ask Claude again to propose the change on the current text.',
          path,
        ),
      );
    await this.#afterDecision(open, path);
  }

  async #afterDecision(open: OpenReview, path: string): Promise<void> {
    this.#decided.fire(path);
    await closeDiffs((p) => p.id === open.id && p.path === path);
    if (open.session.isDone) await this.#finish(open);
  }

  /** Ends a review: its undecided files stay unwritten, its diffs close. */
  async #finish(open: OpenReview | undefined): Promise<void> {
    if (!open || this.#open !== open) return;
    this.#open = undefined;
    open.resolve(open.session.result());
    await vscode.commands.executeCommand('setContext', REVIEW_PENDING_CONTEXT, false);
    await closeDiffs((p) => p.id === open.id);
  }

  #target(uri: unknown): { readonly open: OpenReview; readonly path: string } | undefined {
    const shown = uri instanceof vscode.Uri ? uri : activeDiffUri();
    const target = shown ? parseReviewUri(shown) : undefined;
    const open = this.#open;
    if (!target || open?.id !== target.id || open.session.decisionOf(target.path) === undefined) {
      this.#noReview();
      return undefined;
    }
    return { open, path: target.path };
  }

  #noReview(): void {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        "This change is no longer waiting for review: Claude's newer run or your decision ended it.",
      ),
    );
  }

  dispose(): void {
    const open = this.#open;
    this.#open = undefined;
    open?.resolve(open.session.result());
    this.#decided.dispose();
  }
}

/** The proposed side of the active tab, when it is one of the review's diffs. */
function activeDiffUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff ? input.modified : undefined;
}

async function closeDiffs(matches: (target: { id: number; path: string }) => boolean): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter((tab) => {
      const target =
        tab.input instanceof vscode.TabInputTextDiff ? parseReviewUri(tab.input.modified) : undefined;
      return target !== undefined && matches(target);
    }),
  );
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

/** Command ids of the review's buttons in the diff's title bar. */
export const REVIEW_COMMANDS = {
  acceptFile: 'claudePacer.acceptAgentFile',
  rejectFile: 'claudePacer.rejectAgentFile',
  acceptAll: 'claudePacer.acceptAllAgentFiles',
  rejectAll: 'claudePacer.rejectAllAgentFiles',
} as const;

/** Registers the diff review: its read-only documents and its title-bar commands. */
export function registerDiffReview(context: vscode.ExtensionContext): DiffReview {
  const review = new DiffReview();
  context.subscriptions.push(
    review,
    vscode.workspace.registerTextDocumentContentProvider(AGENT_ORIGINAL_SCHEME, review),
    vscode.workspace.registerTextDocumentContentProvider(AGENT_PROPOSED_SCHEME, review),
    vscode.commands.registerCommand(REVIEW_COMMANDS.acceptFile, (uri?: unknown) => review.accept(uri)),
    vscode.commands.registerCommand(REVIEW_COMMANDS.rejectFile, (uri?: unknown) => review.reject(uri)),
    vscode.commands.registerCommand(REVIEW_COMMANDS.acceptAll, () => review.acceptAll()),
    vscode.commands.registerCommand(REVIEW_COMMANDS.rejectAll, () => review.rejectAll()),
  );
  return review;
}
