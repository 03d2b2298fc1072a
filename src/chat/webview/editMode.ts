import type { PageStrings } from '../model/pageStrings';
import { pageButton } from './pageButton';

/**
 * Editing a sent message: its text goes back into the composer, a bar above it says that sending
 * drops what followed, and Cancel (or Escape) leaves the conversation as it is.
 */
export class EditMode {
  readonly #bar: HTMLElement;
  readonly #prompt: HTMLTextAreaElement;
  #messageId: string | undefined;
  #savedDraft = '';

  /** Builds the bar (hidden) before `composer`; `onChange` runs when editing starts or ends. */
  constructor(
    composer: HTMLElement,
    prompt: HTMLTextAreaElement,
    strings: PageStrings,
    onChange: () => void,
  ) {
    this.#prompt = prompt;
    this.#bar = document.createElement('div');
    this.#bar.className = 'edit-bar';
    this.#bar.hidden = true;
    const text = document.createElement('span');
    text.className = 'edit-title';
    text.textContent = strings.editingTitle;
    const cancel = pageButton(strings.cancelWait, strings.cancelEditAria, 'secondary cancel-edit', () => {
      this.cancel();
      onChange();
    });
    this.#bar.append(text, cancel);
    composer.prepend(this.#bar);
    prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#messageId !== undefined) {
        this.cancel();
        onChange();
      }
    });
  }

  /** The user message being edited, if any. */
  get messageId(): string | undefined {
    return this.#messageId;
  }

  /** Puts message `messageId`'s `text` in the composer (keeping the draft there for Cancel). */
  start(messageId: string, text: string): void {
    if (this.#messageId === undefined) this.#savedDraft = this.#prompt.value;
    this.#messageId = messageId;
    this.#prompt.value = text;
    this.#bar.hidden = false;
    this.#prompt.focus();
    this.#prompt.setSelectionRange(text.length, text.length);
  }

  /** Leaves editing and gives the composer its earlier draft back. */
  cancel(): void {
    if (this.#messageId === undefined) return;
    this.#prompt.value = this.#savedDraft;
    this.end();
  }

  /** Leaves editing (the edit was sent, or the message is gone). */
  end(): void {
    this.#messageId = undefined;
    this.#savedDraft = '';
    this.#bar.hidden = true;
  }
}
