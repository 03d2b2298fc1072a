// CommonMark: a backtick fence's info string has no backtick (else the line is text, not a fence).
const FENCE = /^ {0,3}(`{3,}(?!.*`)|~{3,})/;
// A code span opens and closes with whole backtick runs of one length: "```" is never "``" + "`".
// A run after a backslash opens none; misreading one only escapes more, never less.
const CODE_SPAN = /(?<![\\`])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;

/** One line of model Markdown made inert: image syntax is shown as text and so is raw HTML. */
function inertLine(line: string): string {
  let out = '';
  let last = 0;
  // Code spans render literally and load nothing, so they are copied unchanged.
  for (const match of line.matchAll(CODE_SPAN)) {
    out += inertText(line.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + inertText(line.slice(last));
}

function inertText(text: string): string {
  // Escaping the bracket, not the '!', also holds after a backslash the model wrote itself (`\\![x](u)`).
  return text.replace(/!\[/g, '!\\[').replace(/</g, '&lt;');
}

/**
 * Streams model output into VS Code's own chat without anything that loads on render: Markdown
 * images (inline or by reference) are shown as text and HTML tags (`<img>`, `<iframe>`, …) into
 * text; fenced code is left alone. Text is released whole lines at a time, because an image's syntax
 * may arrive split across deltas.
 */
export class InertMarkdownStream {
  #pending = '';
  #fence: string | undefined;

  /** Adds a delta; returns the inert text of the lines it completed ('' while a line is open). */
  push(delta: string): string {
    this.#pending += delta;
    const end = this.#pending.lastIndexOf('\n');
    if (end < 0) return '';
    const complete = this.#pending.slice(0, end + 1);
    this.#pending = this.#pending.slice(end + 1);
    return complete
      .split('\n')
      .map((line, i, lines) => (i === lines.length - 1 ? line : this.#line(line)))
      .join('\n');
  }

  /** The inert text of the open last line; call once when the answer ends. */
  end(): string {
    const rest = this.#pending;
    this.#pending = '';
    return rest === '' ? '' : this.#line(rest);
  }

  #line(line: string): string {
    const fence = FENCE.exec(line)?.[1];
    if (this.#fence !== undefined) {
      if (fence !== undefined && fence[0] === this.#fence[0] && fence.length >= this.#fence.length)
        this.#fence = undefined;
      return line;
    }
    if (fence !== undefined) {
      this.#fence = fence;
      return line;
    }
    return inertLine(line);
  }
}
