import type { ContextChip } from '../model/chatProtocol';
import { pageText, type PageStringKey, type PageStrings } from '../model/pageStrings';
import type { PostToHost } from './waitBannerView';

/** A context chip: a toggle button saying what is attached and its size. */
export function renderChip(chip: ContextChip, post: PostToHost, strings: PageStrings): HTMLButtonElement {
  if (chip.key !== undefined) return renderAttachedChip(chip, chip.key, post, strings);
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
  const kind = chip.kind === 'problems' ? 'file' : chip.kind;
  b.addEventListener('click', () => post({ type: 'toggleContext', kind, isEnabled: !chip.isEnabled }));
  return b;
}

/** A chip the picker attached: says what and how big (and, as its tooltip, why it was cut); pressing removes it. */
function renderAttachedChip(
  chip: ContextChip,
  key: string,
  post: PostToHost,
  strings: PageStrings,
): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `chip on attached${chip.note !== undefined ? ' cut' : ''}`;
  const tokens = chip.tokens.toLocaleString('en-US');
  b.textContent = pageText(
    strings,
    chip.kind === 'problems' ? 'chipProblems' : 'chipAttached',
    chip.label,
    tokens,
  );
  const aria = pageText(strings, 'chipAttachedAria', chip.label, tokens);
  b.setAttribute('aria-label', chip.note !== undefined ? `${aria} ${chip.note}` : aria);
  if (chip.note !== undefined) b.title = chip.note;
  b.dataset['key'] = key;
  b.addEventListener('click', () => post({ type: 'detach', key }));
  return b;
}
