import type { ContextChip } from '../model/chatProtocol';
import { pageText, type PageStringKey, type PageStrings } from '../model/pageStrings';
import type { PostToHost } from './waitBannerView';

/** A context chip: a toggle button saying what is attached and its size. */
export function renderChip(chip: ContextChip, post: PostToHost, strings: PageStrings): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `chip${chip.isEnabled ? ' on' : ''}`;
  b.setAttribute('aria-pressed', String(chip.isEnabled));
  const isSelection = chip.kind === 'selection';
  const aria: PageStringKey = isSelection
    ? chip.isEnabled
      ? 'chipSelectionOnAria'
      : 'chipSelectionOffAria'
    : chip.isEnabled
      ? 'chipFileOnAria'
      : 'chipFileOffAria';
  const tokens = chip.tokens.toLocaleString('en-US');
  b.textContent = pageText(strings, isSelection ? 'chipSelection' : 'chipFile', chip.label, tokens);
  b.setAttribute('aria-label', pageText(strings, aria, chip.label, chip.tokens));
  b.addEventListener('click', () =>
    post({ type: 'toggleContext', kind: chip.kind, isEnabled: !chip.isEnabled }),
  );
  return b;
}
