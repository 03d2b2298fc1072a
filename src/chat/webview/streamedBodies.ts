import type { PageStrings } from '../model/pageStrings';
import { StreamingBody } from './streamingBody';

/** A streaming answer as the page holds it: its text so far and its article's body, if shown. */
export interface StreamedAnswer {
  readonly text: string;
  readonly body: HTMLElement | undefined;
}

/**
 * The bodies of streaming answers, brought up to date a few times a second rather than on every
 * fragment, each by its own incremental renderer (a re-rendered article gets a new one).
 */
export class StreamedBodies {
  readonly #pending = new Set<string>();
  readonly #renderers = new WeakMap<HTMLElement, StreamingBody>();
  readonly #strings: PageStrings;
  readonly #answerOf: (messageId: string) => StreamedAnswer | undefined;
  readonly #around: (render: () => void) => void;
  #timer: number | undefined;

  /** Renders with `strings`; `answerOf` finds an answer; `around` wraps each flush (keeping the scroll). */
  constructor(
    strings: PageStrings,
    answerOf: (messageId: string) => StreamedAnswer | undefined,
    around: (render: () => void) => void,
  ) {
    this.#strings = strings;
    this.#answerOf = answerOf;
    this.#around = around;
  }

  /** Answer `messageId` has new text: render it soon. */
  schedule(messageId: string): void {
    this.#pending.add(messageId);
    if (this.#timer === undefined) this.#timer = window.setTimeout(() => this.#flush(), 40);
  }

  #flush(): void {
    this.#timer = undefined;
    this.#around(() => {
      for (const id of this.#pending) {
        const answer = this.#answerOf(id);
        if (!answer?.body) continue;
        let renderer = this.#renderers.get(answer.body);
        if (!renderer) {
          renderer = new StreamingBody(answer.body, this.#strings);
          this.#renderers.set(answer.body, renderer);
        }
        renderer.update(answer.text);
      }
      this.#pending.clear();
    });
  }
}
