/**
 * Incremental rendering of a streamed answer: blocks that are finished are rendered once, only the
 * last (open) block again on each update, so streaming costs about the answer's length instead of
 * its square. Pure (markdown-it, no DOM). The render of every update, concatenated as the page does
 * it, equals the render of the whole text (a property test checks it for any chunking).
 *
 * The blocks before a top-level block are finished when a blank line comes just before it and its
 * first line is complete: text appended later can then change only what follows (without the blank
 * line, a line that grows from `***` to `***a` turns from a rule into the paragraph above it; with an
 * incomplete first line, `2` can grow into `2.`, the next item of the list above). Reference
 * definitions apply to the whole text: when they change, the update starts over (`isReset`).
 */
import type { ChatMarkdown } from './markdownHtml';

type Token = ReturnType<ChatMarkdown['parse']>[number];
type Env = Parameters<ChatMarkdown['parse']>[1];
type References = NonNullable<Env['references']>;

/** What one update adds to the page. */
export interface StreamedUpdate {
  /** True when what was shown before must be dropped first (the first update, or a reset). */
  readonly isReset: boolean;
  /** HTML of the blocks finished since the last update ('' when none), to append. */
  readonly closedHtml: string;
  /** HTML of the open block (and anything after the finished ones), replacing the previous open HTML. */
  readonly openHtml: string;
}

/** markdown-it's own input normalisation (line breaks to \n, NUL to U+FFFD), so offsets match its lines. */
export function normalizeMarkdown(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
}

function referencesKey(env: Env): string {
  return JSON.stringify(Object.entries(env.references ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The last place in `tokens` (parsed from `text`) before which every block is finished: the index
 * of a top-level block's first token and its first line; index 0 when there is none.
 */
function lastFinalBoundary(tokens: readonly Token[], text: string): { index: number; line: number } {
  for (let i = tokens.length - 1; i > 0; i--) {
    const token = tokens[i];
    const line = token?.map?.[0];
    if (!token || token.level !== 0 || token.nesting === -1 || line === undefined || line === 0) continue;
    const start = lineOffset(text, line);
    const previous = text.slice(lineOffset(text, line - 1), start);
    if (previous.trim() === '' && text.includes('\n', start)) return { index: i, line };
  }
  return { index: 0, line: 0 };
}

/** Offset of the start of line `line` (0-based) in `text`. */
function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** One streamed answer's renderer: feed it the whole text so far, it returns what changed. */
export class StreamedMarkdown {
  readonly #md: ChatMarkdown;
  /** The finished blocks' source (normalised): a prefix of every later text, or the update resets. */
  #closedSource = '';
  /** Reference definitions in the finished blocks. */
  #closedReferences: References = {};
  /** The definitions every finished block was rendered with. */
  #renderedReferences: string | undefined;

  constructor(md: ChatMarkdown) {
    this.#md = md;
  }

  /** Renders `text`, the whole answer so far. */
  update(text: string): StreamedUpdate {
    const source = normalizeMarkdown(text);
    let isReset = this.#renderedReferences === undefined;
    if (!source.startsWith(this.#closedSource)) isReset = this.#reset();
    let result = this.#renderTail(source);
    if (!isReset && result.referencesKey !== this.#renderedReferences && this.#closedSource !== '') {
      // A definition changed: blocks finished earlier may render differently now.
      isReset = this.#reset();
      result = this.#renderTail(source);
    }
    this.#renderedReferences = result.referencesKey;
    return { isReset, closedHtml: result.closedHtml, openHtml: result.openHtml };
  }

  #reset(): true {
    this.#closedSource = '';
    this.#closedReferences = {};
    return true;
  }

  #renderTail(source: string): { closedHtml: string; openHtml: string; referencesKey: string } {
    const tail = source.slice(this.#closedSource.length);
    const env: Env = { references: { ...this.#closedReferences } };
    const tokens = this.#md.parse(tail, env);
    const { index, line } = lastFinalBoundary(tokens, tail);
    const closedTokens = tokens.slice(0, index);
    const openTokens = tokens.slice(index);
    const options = this.#md.options;
    const closedHtml = this.#md.renderer.render(closedTokens, options, env);
    const openHtml = this.#md.renderer.render(openTokens, options, env);
    if (line > 0) {
      const closedPart = tail.slice(0, lineOffset(tail, line));
      this.#closedSource += closedPart;
      // Only the finished part's definitions stay: the open block's may still change.
      const closedEnv: Env = { references: { ...this.#closedReferences } };
      this.#md.parse(closedPart, closedEnv);
      this.#closedReferences = closedEnv.references ?? {};
    }
    return { closedHtml, openHtml, referencesKey: referencesKey(env) };
  }
}
