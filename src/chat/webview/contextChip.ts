import type { ContextChip } from '../model/chatProtocol';
import type { PostToHost } from './waitBannerView';

/** A context chip: a toggle button saying what is attached and its size. */
export function renderChip(chip: ContextChip, post: PostToHost): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `chip${chip.isEnabled ? ' on' : ''}`;
  b.setAttribute('aria-pressed', String(chip.isEnabled));
  const kind = chip.kind === 'selection' ? 'Selection' : 'File';
  b.textContent = `${kind}: ${chip.label} · ~${chip.tokens.toLocaleString('en-US')} tokens`;
  b.setAttribute(
    'aria-label',
    `${chip.isEnabled ? 'Included' : 'Not included'}: ${kind.toLowerCase()} ${chip.label}, about ${chip.tokens} tokens. Press to ${chip.isEnabled ? 'leave it out' : 'include it'}.`,
  );
  b.addEventListener('click', () =>
    post({ type: 'toggleContext', kind: chip.kind, isEnabled: !chip.isEnabled }),
  );
  return b;
}
