import type { ModelChoice } from '../model/chatProtocol';
import { pageText, type PageStrings } from '../model/pageStrings';
import type { PostToHost } from './waitBannerView';

/** The composer's tool row: Attach (the host's picker), the conversation's model (the host's model picker), History. */
export interface ComposerTools {
  /** Shows the model the conversation's next requests use. */
  showModel(choice: ModelChoice): void;
  /** The last model choice the host sent (the wait banner's Switch model reads its candidate from it). */
  readonly choice: ModelChoice | undefined;
}

/** Wires the tool row's buttons (rendered by chatHtml) to the host. */
export function initComposerTools(post: PostToHost, strings: PageStrings): ComposerTools {
  const button = (id: string): HTMLButtonElement | null =>
    document.querySelector<HTMLButtonElement>(`#${id}`);
  const modelButton = button('pick-model');
  button('attach')?.addEventListener('click', () => post({ type: 'attach' }));
  button('history')?.addEventListener('click', () => post({ type: 'showHistory' }));
  modelButton?.addEventListener('click', () => post({ type: 'pickModel' }));
  let choice: ModelChoice | undefined;
  return {
    showModel(next: ModelChoice): void {
      choice = next;
      if (!modelButton) return;
      modelButton.textContent = pageText(strings, 'modelButton', next.model);
      modelButton.setAttribute('aria-label', pageText(strings, 'modelButtonAria', next.model));
      modelButton.classList.toggle('chosen', next.isChosen);
    },
    get choice(): ModelChoice | undefined {
      return choice;
    },
  };
}
