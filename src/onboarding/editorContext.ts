import * as vscode from 'vscode';

/** Context key: the active text editor holds some text, so a selection command has a line to act on. */
export const EDITOR_HAS_TEXT = 'claudePacer.editorHasText';

function hasText(editor: vscode.TextEditor | undefined): boolean {
  // Cheap on any size: no getText() on every keystroke.
  const document = editor?.document;
  return document !== undefined && (document.lineCount > 1 || document.lineAt(0).text.length > 0);
}

/**
 * Keeps `claudePacer.editorHasText` in step with the active editor, for the selection commands'
 * `enablement`, keybindings and the editor context menu (an empty selection acts on the cursor line).
 */
export function registerEditorContext(context: vscode.ExtensionContext): void {
  let current: boolean | undefined;
  const update = (): void => {
    const next = hasText(vscode.window.activeTextEditor);
    if (next === current) return;
    current = next;
    void vscode.commands.executeCommand('setContext', EDITOR_HAS_TEXT, next);
  };
  update();
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === vscode.window.activeTextEditor?.document) update();
    }),
  );
}
