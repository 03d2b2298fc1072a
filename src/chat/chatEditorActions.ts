import * as vscode from 'vscode';
import { safeExternalLink, type WebviewMessage } from './model/chatProtocol';
import type { ProposalStore } from '../commands/proposals';
import { targetEditor } from './chatContext';

/** Result of a code-block action, as one sentence for the chat's notice line. */
export interface ActionOutcome {
  readonly level: 'info' | 'error';
  readonly text: string;
}

/** Copies a code block to the clipboard. */
export async function copyCode(code: string): Promise<ActionOutcome> {
  await vscode.env.clipboard.writeText(code);
  return { level: 'info', text: vscode.l10n.t('Copied to the clipboard.') };
}

/** Inserts a code block at the cursor of the editor last used (replacing its selection). */
export async function insertCode(code: string): Promise<ActionOutcome> {
  const editor = targetEditor();
  if (!editor) return { level: 'error', text: vscode.l10n.t('Open an editor to insert the code into.') };
  const ok = await editor.edit((builder) => {
    for (const selection of editor.selections) builder.replace(selection, code);
  });
  return ok
    ? {
        level: 'info',
        text: vscode.l10n.t(
          'Inserted into {0}.',
          vscode.workspace.asRelativePath(editor.document.uri, false),
        ),
      }
    : { level: 'error', text: vscode.l10n.t('The editor refused the edit (is it read-only?).') };
}

/**
 * Proposes a code block as a replacement for the selection (or the whole file when nothing is
 * selected) through the diff preview with Accept / Reject and the version check.
 */
export async function applyCodeAsDiff(proposals: ProposalStore, code: string): Promise<ActionOutcome> {
  const editor = targetEditor();
  if (!editor)
    return {
      level: 'error',
      text: vscode.l10n.t('Open the file to apply the code to, and select the part to replace.'),
    };
  const document = editor.document;
  const range = editor.selection.isEmpty
    ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length))
    : new vscode.Range(editor.selection.start, editor.selection.end);
  const original = document.getText(range);
  await proposals.propose(document, range, document.version, original, code);
  return {
    level: 'info',
    text: vscode.l10n.t(
      'Review the diff for {0}, then Accept or Reject.',
      vscode.workspace.asRelativePath(document.uri, false),
    ),
  };
}

/** Opens an http(s) link in the browser after checking it; every other scheme is refused. */
export async function openLink(href: string): Promise<ActionOutcome> {
  const safe = safeExternalLink(href);
  if (!safe) return { level: 'error', text: vscode.l10n.t('Only http and https links open from the chat.') };
  const ok = await vscode.env.openExternal(vscode.Uri.parse(safe, true));
  return ok
    ? { level: 'info', text: vscode.l10n.t('Opened {0}', safe) }
    : { level: 'error', text: vscode.l10n.t('Could not open {0}', safe) };
}

/** Runs a code block's or a link's action from the page. */
export function runCodeAction(
  proposals: ProposalStore,
  message: Extract<WebviewMessage, { type: 'copyCode' | 'insertCode' | 'applyCode' | 'openLink' }>,
): Promise<ActionOutcome> {
  switch (message.type) {
    case 'copyCode':
      return copyCode(message.code);
    case 'insertCode':
      return insertCode(message.code);
    case 'applyCode':
      return applyCodeAsDiff(proposals, message.code);
    case 'openLink':
      return openLink(message.href);
  }
}
