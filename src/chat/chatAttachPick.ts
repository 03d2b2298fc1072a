import * as vscode from 'vscode';
import type { ChatController } from './chatController';
import type { PickedAttachment } from './chatContext';
import {
  capText,
  cutNote,
  MAX_ATTACHED_CHARS,
  MAX_PICKED_ATTACHMENTS,
  problemsText,
  refusedNote,
} from './model/attachmentCap';
import type { ContextKind } from './model/chatProtocol';

/** Most workspace files listed in the picker. */
const MAX_LISTED_FILES = 2_000;
/** Left out of the list: installed packages and version-control folders would crowd out the project's own files. */
const LISTED_FILES_EXCLUDE = '**/{node_modules,.git,.svn,.hg}/**';

interface AttachItem extends vscode.QuickPickItem {
  readonly uri?: vscode.Uri;
  readonly attachKind?: Extract<ContextKind, 'file' | 'problems'>;
}

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

/** The diagnostics of the file at `uri`; those touching `range` only when given. */
export function diagnosticsWithin(uri: vscode.Uri, range?: vscode.Range): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => range === undefined || d.range.intersection(range) !== undefined);
}

/** The Problems of the file at `uri` as text, one per line; within `range` only when given ('' when none). */
export function problemsOf(uri: vscode.Uri, range?: vscode.Range): string {
  return problemsText(
    diagnosticsWithin(uri, range).map((d) => ({
      line: d.range.start.line + 1,
      severity: SEVERITY[d.severity] ?? 'info',
      message: d.message,
      ...(d.source ? { source: d.source } : {}),
    })),
  );
}

function openEditorUris(): vscode.Uri[] {
  const uris = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri : undefined))
    .filter((u): u is vscode.Uri => u !== undefined && u.scheme !== 'output');
  return [...new Map(uris.map((u) => [u.toString(), u])).values()];
}

function fileItem(uri: vscode.Uri, kind: 'file' | 'problems', problems = 0): AttachItem {
  const path = vscode.workspace.asRelativePath(uri, false);
  return kind === 'file'
    ? { label: `$(file) ${path}`, uri, attachKind: kind }
    : {
        label: `$(warning) ${vscode.l10n.t('Problems of {0}', path)}`,
        description: vscode.l10n.t('{0} problem(s)', problems),
        uri,
        attachKind: kind,
      };
}

/** The picker's rows: open editors, files with Problems, then the workspace's files. */
async function attachItems(): Promise<AttachItem[]> {
  const open = openEditorUris();
  const withProblems = vscode.languages.getDiagnostics().filter(([, d]) => d.length > 0);
  const files = await vscode.workspace.findFiles('**/*', LISTED_FILES_EXCLUDE, MAX_LISTED_FILES);
  const openKeys = new Set(open.map((u) => u.toString()));
  const rest = files.filter((u) => !openKeys.has(u.toString())).sort((a, b) => a.path.localeCompare(b.path));
  return [
    ...section(
      vscode.l10n.t('Open editors'),
      open.map((u) => fileItem(u, 'file')),
    ),
    ...section(
      vscode.l10n.t('Problems'),
      withProblems.map(([u, d]) => fileItem(u, 'problems', d.length)),
    ),
    ...section(
      vscode.l10n.t('Workspace files'),
      rest.map((u) => fileItem(u, 'file')),
    ),
  ];
}

/** `items` under a separator titled `label`; nothing when empty. */
function section(label: string, items: readonly AttachItem[]): AttachItem[] {
  return items.length === 0 ? [] : [{ label, kind: vscode.QuickPickItemKind.Separator }, ...items];
}

/** The text an item attaches: the file's text (as open in the editor), or its Problems one per line. */
async function attachmentText(
  uri: vscode.Uri,
  kind: 'file' | 'problems',
): Promise<{ text: string; language: string }> {
  if (kind === 'problems') return { text: problemsOf(uri), language: '' };
  const document = await vscode.workspace.openTextDocument(uri);
  return { text: document.getText(), language: document.languageId };
}

/**
 * Attaches what the user picks (open editors, workspace files, a file's Problems) to the chat's
 * next message, as chips. All picks of a message share {@link MAX_ATTACHED_CHARS}: one past it is
 * cut (its chip and a warning say so) and one with nothing left is refused. Returns how many were attached.
 */
export async function pickAttachments(chat: ChatController): Promise<number> {
  const chosen = await vscode.window.showQuickPick(attachItems(), {
    title: vscode.l10n.t('Claude: Attach to the Next Message'),
    placeHolder: vscode.l10n.t('Files, open editors, or a file’s Problems'),
    canPickMany: true,
    matchOnDescription: true,
  });
  if (!chosen || chosen.length === 0) return 0;
  let attached = 0;
  const warnings: string[] = [];
  for (const item of chosen) {
    const { uri, attachKind: kind } = item;
    if (!uri || !kind) continue;
    const key = `${kind}:${uri.toString()}`;
    const others = chat.contextPicks.filter((p) => p.key !== key);
    const label = vscode.workspace.asRelativePath(uri, false);
    if (others.length >= MAX_PICKED_ATTACHMENTS) {
      warnings.push(refusedNote(label, 'tooMany', vscode.l10n.t));
      continue;
    }
    let source: { text: string; language: string };
    try {
      source = await attachmentText(uri, kind);
    } catch {
      warnings.push(vscode.l10n.t('{0} was not attached: it could not be read as text.', label));
      continue;
    }
    const used = others.reduce((n, p) => n + p.attachment.text.length, 0);
    const capped = capText(source.text, MAX_ATTACHED_CHARS - used);
    if (!capped) {
      warnings.push(refusedNote(label, 'full', vscode.l10n.t));
      continue;
    }
    const note = capped.isCut ? cutNote(label, capped, vscode.l10n.t) : undefined;
    if (note) warnings.push(note);
    const picked: PickedAttachment = {
      key,
      attachment: { kind, label, text: capped.text, language: source.language },
      ...(note ? { note } : {}),
    };
    chat.changeContext((chips) => chips.attach(picked));
    attached++;
  }
  if (warnings.length > 0) void vscode.window.showWarningMessage(warnings.join(' '));
  return attached;
}
