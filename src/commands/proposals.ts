import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

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
}

/** What happened to a proposal. */
export type ProposalOutcome = 'applied' | 'rejected' | 'stale' | 'unknown';

/**
 * Keeps proposals, serves their two sides to the diff editor, and applies or drops them. A
 * proposal is never applied over text that changed while Claude was working (version check).
 */
export class ProposalStore implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #proposals = new Map<string, Proposal>();
  #next = 1;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [id, side] = uri.path.split('/').filter(Boolean);
    const proposal = id ? this.#proposals.get(id) : undefined;
    if (!proposal) return '';
    return side === 'original' ? proposal.originalText : proposal.proposedText;
  }

  /** Records a proposal and opens the diff preview (original vs proposal). */
  async propose(
    document: vscode.TextDocument,
    range: vscode.Range,
    originalVersion: number,
    originalText: string,
    proposedText: string,
  ): Promise<Proposal> {
    const proposal: Proposal = {
      id: `p${this.#next++}`,
      target: document.uri,
      range,
      version: originalVersion,
      originalText,
      proposedText,
    };
    this.#proposals.set(proposal.id, proposal);
    const name = document.uri.path.split('/').pop() ?? 'selection';
    const left = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${proposal.id}/original/${name}` });
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${proposal.id}/proposed/${name}` });
    await vscode.commands.executeCommand(
      'vscode.diff',
      left,
      right,
      vscode.l10n.t("{0}: Claude's proposal", name),
      {
        preview: true,
      },
    );
    return proposal;
  }

  /** The proposal shown in the active editor, if any. */
  active(): Proposal | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (uri?.scheme !== PROPOSAL_SCHEME) return [...this.#proposals.values()].at(-1);
    const id = uri.path.split('/').filter(Boolean)[0];
    return id ? this.#proposals.get(id) : undefined;
  }

  /** Applies a proposal if its document has not changed since the request. */
  async accept(id: string): Promise<ProposalOutcome> {
    const proposal = this.#proposals.get(id);
    if (!proposal) return 'unknown';
    this.#proposals.delete(id);
    const document = await vscode.workspace.openTextDocument(proposal.target);
    if (document.version !== proposal.version || document.getText(proposal.range) !== proposal.originalText) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The file changed while Claude was working, so its proposal was not applied. Run the command again on the current text.',
        ),
      );
      await closeDiff(id);
      return 'stale';
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.target, proposal.range, proposal.proposedText);
    const ok = await vscode.workspace.applyEdit(edit);
    await closeDiff(id);
    return ok ? 'applied' : 'stale';
  }

  /** Drops a proposal. */
  async reject(id: string): Promise<ProposalOutcome> {
    const existed = this.#proposals.delete(id);
    await closeDiff(id);
    return existed ? 'rejected' : 'unknown';
  }

  dispose(): void {
    this.#proposals.clear();
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

/** Registers the content provider and the Accept / Reject commands (editor title buttons). */
export function registerProposals(context: vscode.ExtensionContext): ProposalStore {
  const store = new ProposalStore();
  context.subscriptions.push(
    store,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, store),
    vscode.commands.registerCommand(COMMANDS.acceptProposal, (id?: unknown) => {
      const target = typeof id === 'string' ? id : store.active()?.id;
      return target ? store.accept(target) : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.rejectProposal, (id?: unknown) => {
      const target = typeof id === 'string' ? id : store.active()?.id;
      return target ? store.reject(target) : undefined;
    }),
  );
  return store;
}
