import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import {
  isStale,
  outcomeNotice,
  supersededBy,
  type ProposalNotice,
  type ProposalOutcome,
} from './model/proposalRules';

export type { ProposalOutcome } from './model/proposalRules';

/** URI scheme of the read-only documents the diff preview shows. */
export const PROPOSAL_SCHEME = 'claude-pacer-proposal';

/** An edit Claude proposed for a range of a document, waiting for Accept or Reject. */
export interface Proposal {
  readonly id: string;
  readonly target: vscode.Uri;
  readonly range: vscode.Range;
  /** The document version when the request was made: a later edit makes the proposal stale. */
  readonly version: number;
  readonly originalText: string;
  readonly proposedText: string;
  /** A new file (Write Tests): Accept creates `target`, and a file that appeared there meanwhile makes it stale. */
  readonly isNewFile?: boolean;
}

interface Pending {
  readonly proposal: Proposal;
  /** Ends the proposal's progress notification: VS Code closes a notification only when its progress ends. */
  readonly settle: (outcome: ProposalOutcome) => void;
}

/**
 * Keeps proposals, serves their two sides to the diff editor, and applies or drops them. A
 * proposal is never applied over text that changed while Claude was working (version check).
 * Each pending proposal has one notification, a progress notification because that is the only
 * kind VS Code lets an extension close: it ends when the proposal is accepted, rejected or
 * replaced by a newer proposal for the same document.
 */
export class ProposalStore implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #pending = new Map<string, Pending>();
  readonly #notices = new vscode.EventEmitter<ProposalNotice>();
  #next = 1;

  /** Every sentence the store tells the user (stale, refused, no longer pending), as it is shown. */
  readonly onDidNotify = this.#notices.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [id, side] = uri.path.split('/').filter(Boolean);
    const proposal = id ? this.#pending.get(id)?.proposal : undefined;
    if (!proposal) return '';
    return side === 'original' ? proposal.originalText : proposal.proposedText;
  }

  /** How many proposals are pending, each with its notification open. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Records a proposal, replaces any earlier one for the same document, opens the diff preview
   * (original vs proposal) and the proposal's notification.
   */
  async propose(
    document: vscode.TextDocument,
    range: vscode.Range,
    originalVersion: number,
    originalText: string,
    proposedText: string,
  ): Promise<Proposal> {
    return this.#show({
      id: `p${this.#next++}`,
      target: document.uri,
      range,
      version: originalVersion,
      originalText,
      proposedText,
    });
  }

  /** Proposes a new file at `target` (empty on the diff's left side); Accept creates and opens it. */
  async proposeNewFile(target: vscode.Uri, proposedText: string): Promise<Proposal> {
    const start = new vscode.Position(0, 0);
    return this.#show({
      id: `p${this.#next++}`,
      target,
      range: new vscode.Range(start, start),
      version: 0,
      originalText: '',
      proposedText,
      isNewFile: true,
    });
  }

  async #show(proposal: Proposal): Promise<Proposal> {
    const keys = [...this.#pending.values()].map((p) => ({
      id: p.proposal.id,
      target: p.proposal.target.toString(),
    }));
    for (const id of supersededBy(keys, proposal.target.toString())) await this.#end(id, 'superseded');
    const name = proposal.target.path.split('/').pop() ?? 'selection';
    this.#pending.set(proposal.id, { proposal, settle: this.#notify(proposal, name) });
    const left = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${proposal.id}/original/${name}` });
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${proposal.id}/proposed/${name}` });
    // Not a preview tab: a preview diff would take the place of the user's own preview tab of the
    // file, and closing the diff on Reject would then close the user's editor with it.
    await vscode.commands.executeCommand(
      'vscode.diff',
      left,
      right,
      vscode.l10n.t("{0}: Claude's proposal", name),
      { preview: false },
    );
    return proposal;
  }

  /** The proposal shown in the active editor, or else the latest pending one. */
  active(): Proposal | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (uri?.scheme !== PROPOSAL_SCHEME) return [...this.#pending.values()].at(-1)?.proposal;
    const id = uri.path.split('/').filter(Boolean)[0];
    return id ? this.#pending.get(id)?.proposal : undefined;
  }

  /** Applies a proposal if its document has not changed since the request; says so when it cannot. */
  async accept(id: string): Promise<ProposalOutcome> {
    const pending = this.#pending.get(id);
    if (!pending) return this.#told('accept', 'unknown');
    const { proposal } = pending;
    const outcome = proposal.isNewFile ? await createProposedFile(proposal) : await applyProposal(proposal);
    await this.#end(id, outcome);
    if (outcome === 'applied' && proposal.isNewFile)
      await vscode.window.showTextDocument(proposal.target, { preview: false });
    return this.#told('accept', outcome);
  }

  /** Drops a proposal and closes its diff (never the user's own editor of the file). */
  async reject(id: string): Promise<ProposalOutcome> {
    if (!this.#pending.has(id)) return this.#told('reject', 'unknown');
    await this.#end(id, 'rejected');
    return 'rejected';
  }

  dispose(): void {
    for (const pending of this.#pending.values()) pending.settle('superseded');
    this.#pending.clear();
    this.#notices.dispose();
  }

  /** Shows the proposal's notification; returns what ends it. Its Cancel button rejects the proposal. */
  #notify(proposal: Proposal, name: string): (outcome: ProposalOutcome) => void {
    let settle: (outcome: ProposalOutcome) => void = () => undefined;
    const settled = new Promise<ProposalOutcome>((resolve) => {
      settle = resolve;
    });
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: proposal.isNewFile
          ? vscode.l10n.t('Claude proposed a new file {0}', name)
          : vscode.l10n.t('Claude proposed a change to {0}', name),
        cancellable: true,
      },
      (progress, token) => {
        progress.report({
          message: vscode.l10n.t('Accept or Reject it in the title bar of the diff; Cancel here rejects it.'),
        });
        const onCancel = token.onCancellationRequested(() => void this.reject(proposal.id));
        return settled.finally(() => {
          onCancel.dispose();
        });
      },
    );
    return settle;
  }

  async #end(id: string, outcome: ProposalOutcome): Promise<void> {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    pending.settle(outcome);
    await closeDiff(id);
  }

  #told(action: 'accept' | 'reject', outcome: ProposalOutcome): ProposalOutcome {
    const notice = outcomeNotice(action, outcome, vscode.l10n.t);
    if (notice) {
      this.#notices.fire(notice);
      if (notice.level === 'warning') void vscode.window.showWarningMessage(notice.text);
      else void vscode.window.showInformationMessage(notice.text);
    }
    return outcome;
  }
}

async function applyProposal(proposal: Proposal): Promise<ProposalOutcome> {
  const document = await vscode.workspace.openTextDocument(proposal.target);
  if (isStale(proposal, { version: document.version, textInRange: document.getText(proposal.range) }))
    return 'stale';
  const edit = new vscode.WorkspaceEdit();
  edit.replace(proposal.target, proposal.range, proposal.proposedText);
  return (await vscode.workspace.applyEdit(edit)) ? 'applied' : 'refused';
}

/** Creates a proposed new file; stale when a file appeared at its path since (never overwritten). */
async function createProposedFile(proposal: Proposal): Promise<ProposalOutcome> {
  if (await fileExists(proposal.target)) return 'stale';
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(proposal.target, { contents: new TextEncoder().encode(proposal.proposedText) });
  return (await vscode.workspace.applyEdit(edit)) ? 'applied' : 'refused';
}

/** Whether something exists at `uri`. */
export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function closeDiff(id: string): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (
        input instanceof vscode.TabInputTextDiff &&
        input.modified.scheme === PROPOSAL_SCHEME &&
        input.modified.path.startsWith(`/${id}/`)
      ) {
        await vscode.window.tabGroups.close(tab);
      }
    }
  }
}

/** The proposal id a command was given (a string from the API) or, from the diff's title, the one it shows. */
function targetId(store: ProposalStore, id: unknown): string | undefined {
  return typeof id === 'string' ? id : store.active()?.id;
}

/** Registers the content provider and the Accept / Reject commands (labelled in the diff's title). */
export function registerProposals(context: vscode.ExtensionContext): ProposalStore {
  const store = new ProposalStore();
  context.subscriptions.push(
    store,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, store),
    vscode.commands.registerCommand(COMMANDS.acceptProposal, (id?: unknown) =>
      store.accept(targetId(store, id) ?? ''),
    ),
    vscode.commands.registerCommand(COMMANDS.rejectProposal, (id?: unknown) =>
      store.reject(targetId(store, id) ?? ''),
    ),
  );
  return store;
}
