import * as vscode from 'vscode';

/** How often streamed text is flushed into the document. */
const FLUSH_MS = 100;

/**
 * A Markdown document that shows a streamed answer as it arrives (appended in small batches so
 * the editor is not flooded with edits).
 */
export class AnswerDocument {
  #document?: vscode.TextDocument;
  #buffer = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();

  /** Opens an untitled Markdown document starting with `header`. */
  async open(header: string): Promise<vscode.TextDocument> {
    this.#document = await vscode.workspace.openTextDocument({ language: 'markdown', content: header });
    await vscode.window.showTextDocument(this.#document, {
      preview: false,
      viewColumn: vscode.ViewColumn.Beside,
    });
    return this.#document;
  }

  /** Queues streamed text. */
  append(text: string): void {
    this.#buffer += text;
    this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  /** Writes whatever is still buffered; resolves when the document has it. */
  async finish(trailer = ''): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#buffer += trailer;
    this.#flush();
    await this.#writing;
  }

  #flush(): void {
    this.#timer = undefined;
    const document = this.#document;
    const text = this.#buffer;
    this.#buffer = '';
    if (!document || text === '') return;
    this.#writing = this.#writing.then(async () => {
      const edit = new vscode.WorkspaceEdit();
      const end = document.lineAt(document.lineCount - 1).range.end;
      edit.insert(document.uri, end, text);
      await vscode.workspace.applyEdit(edit);
    });
  }
}
