import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGLISH } from '../../../src/status/model/localize';

describe('ENGLISH localize (the default for pure models, substituting like vscode.l10n.t)', () => {
  it('returns a message without args unchanged, braces included', () => {
    assert.equal(ENGLISH('Done.'), 'Done.');
    assert.equal(ENGLISH('keep {0} as is'), 'keep {0} as is');
  });

  it('substitutes positional placeholders, numbers as text', () => {
    assert.equal(
      ENGLISH('Waiting for {0} · #{1} in queue', 'a free slot', 2),
      'Waiting for a free slot · #2 in queue',
    );
  });

  it('substitutes a repeated placeholder every time and allows any order', () => {
    assert.equal(ENGLISH('{1} {0} {1}', 'a', 'b'), 'b a b');
  });

  it('leaves a placeholder without an arg, and named placeholders, as written', () => {
    assert.equal(ENGLISH('{0} and {1} and {name}', 'x'), 'x and {1} and {name}');
  });

  it('does not substitute into the substituted text', () => {
    assert.equal(ENGLISH('{0}{1}', '{1}', 'y'), '{1}y');
  });
});
