import type { PageStrings } from '../model/pageStrings';
import { StreamedMarkdown } from '../model/streamedMarkdown';
import { chatMarkdown, sanitizedFragment } from './markdown';

/**
 * A streaming answer's body: finished blocks are sanitised and appended once, only the open block's
 * nodes are replaced on each update (StreamedMarkdown decides which is which).
 */
export class StreamingBody {
  readonly #body: HTMLElement;
  readonly #strings: PageStrings;
  readonly #markdown = new StreamedMarkdown(chatMarkdown);
  #openNodes: ChildNode[] = [];
  #openHtml = '';

  constructor(body: HTMLElement, strings: PageStrings) {
    this.#body = body;
    this.#strings = strings;
  }

  /** Shows `text`, the whole answer so far. */
  update(text: string): void {
    const update = this.#markdown.update(text);
    if (update.isReset) {
      this.#body.replaceChildren();
      this.#openNodes = [];
      this.#openHtml = '';
    }
    if (update.closedHtml === '' && update.openHtml === this.#openHtml && !update.isReset) return;
    for (const node of this.#openNodes) node.remove();
    if (update.closedHtml !== '') this.#body.append(sanitizedFragment(update.closedHtml, this.#strings));
    const open = sanitizedFragment(update.openHtml, this.#strings);
    this.#openNodes = [...open.childNodes];
    this.#openHtml = update.openHtml;
    this.#body.append(open);
  }
}
