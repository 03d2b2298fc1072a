import * as vscode from 'vscode';
import type { ContextAttachment } from './model/chatConversation';
import { estimateTextTokens } from './model/chatConversation';
import type { ContextChip, ToggleKind } from './model/chatProtocol';

/** Files above this many characters are attached cut, with a note. */
export const MAX_FILE_CONTEXT_CHARS = 400_000;

/** Document schemes whose text may be attached (not output channels, diff previews or settings). */
const ATTACHABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

/** The current selection and file of the active editor, as chips and as attachments. */
export interface EditorContext {
  readonly chips: readonly ContextChip[];
  readonly attachments: readonly ContextAttachment[];
}

function editorOf(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active && ATTACHABLE_SCHEMES.has(active.document.uri.scheme)) return active;
  return vscode.window.visibleTextEditors.find((e) => ATTACHABLE_SCHEMES.has(e.document.uri.scheme));
}

/** The editor the chat's code actions (insert, apply) target. */
export function targetEditor(): vscode.TextEditor | undefined {
  return editorOf();
}

/** Reads the context of the active editor; `enabled` says which chips are on. */
export function readEditorContext(enabled: Readonly<Record<ToggleKind, boolean>>): EditorContext {
  const editor = editorOf();
  if (!editor) return { chips: [], attachments: [] };
  const document = editor.document;
  const name = vscode.workspace.asRelativePath(document.uri, false);
  const chips: ContextChip[] = [];
  const attachments: ContextAttachment[] = [];
  const selection = editor.selection;
  if (!selection.isEmpty) {
    const text = document.getText(selection);
    const label = `${name}:${selection.start.line + 1}-${selection.end.line + 1}`;
    chips.push({ kind: 'selection', label, tokens: estimateTextTokens(text), isEnabled: enabled.selection });
    if (enabled.selection)
      attachments.push({ kind: 'selection', label, text, language: document.languageId });
  }
  const full = document.getText();
  const text =
    full.length > MAX_FILE_CONTEXT_CHARS
      ? `${full.slice(0, MAX_FILE_CONTEXT_CHARS)}\n… (cut: the file has ${full.length.toLocaleString('en-US')} characters)`
      : full;
  chips.push({ kind: 'file', label: name, tokens: estimateTextTokens(text), isEnabled: enabled.file });
  if (enabled.file) attachments.push({ kind: 'file', label: name, text, language: document.languageId });
  return { chips, attachments };
}

/** An attachment picked for the next message: its chip's key, and a note when the size cap cut it. */
export interface PickedAttachment {
  readonly key: string;
  readonly attachment: ContextAttachment;
  readonly note?: string;
}

/** Context chips refresh after editor changes settle. */
const CONTEXT_DEBOUNCE_MS = 250;

/**
 * Which context kinds the chat attaches (the selection by default) and what was picked for the
 * next message, with a debounced `onChange` when the active editor, the selection or the
 * extension's settings change.
 */
export class ContextChips implements vscode.Disposable {
  readonly #enabled: Record<ToggleKind, boolean> = { selection: true, file: false };
  readonly #disposables: vscode.Disposable[];
  readonly #refresh: () => void;
  #picked: PickedAttachment[] = [];
  #timer: NodeJS.Timeout | undefined;

  /** Starts following the editor. */
  constructor(onChange: () => void) {
    const refresh = (this.#refresh = (): void => {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        onChange();
      }, CONTEXT_DEBOUNCE_MS);
    });
    this.#disposables = [
      vscode.window.onDidChangeActiveTextEditor(refresh),
      vscode.window.onDidChangeTextEditorSelection(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('claudePacer')) refresh();
      }),
    ];
  }

  /** Turns one kind on or off. */
  toggle(kind: ToggleKind, isEnabled: boolean): void {
    this.#enabled[kind] = isEnabled;
  }

  /** What was picked for the next message, in order. */
  get picked(): readonly PickedAttachment[] {
    return this.#picked;
  }

  /** Attaches `picked` to the next message (replacing an earlier pick with the same key). */
  attach(picked: PickedAttachment): void {
    this.#picked = [...this.#picked.filter((p) => p.key !== picked.key), picked];
  }

  /** Removes a picked attachment. */
  detach(key: string): void {
    this.#picked = this.#picked.filter((p) => p.key !== key);
  }

  /** The next message's attachments (the enabled editor context, then the picks); the picks are used up. */
  takeAttachments(): readonly ContextAttachment[] {
    const { attachments } = this.read();
    if (this.#picked.length > 0) {
      this.#picked = [];
      this.#refresh();
    }
    return attachments;
  }

  /** The active editor's context with the kinds that are on, then the picks. */
  read(): EditorContext {
    const editor = readEditorContext(this.#enabled);
    const picked = this.#picked.map(({ key, attachment, note }) => ({
      kind: attachment.kind,
      label: attachment.label,
      tokens: estimateTextTokens(attachment.text),
      isEnabled: true,
      key,
      ...(note !== undefined ? { note } : {}),
    }));
    return {
      chips: [...editor.chips, ...picked],
      attachments: [...editor.attachments, ...this.#picked.map((p) => p.attachment)],
    };
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const d of this.#disposables) d.dispose();
  }
}
