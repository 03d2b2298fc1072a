import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { apiKeyShapeProblem, last4Of, redactSecrets } from '../../../src/keys/model/apiKeyShape';
import { ENGLISH } from '../../../src/status/model/localize';

// Built from parts so secret scanners do not mistake this test fixture for a leaked key.
const KEY = ['sk-ant-api03', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdWXYZ'].join('-');

describe('API key shape and redaction', () => {
  it('accepts a plausible key and explains what is wrong with others', () => {
    assert.equal(apiKeyShapeProblem(KEY), undefined);
    assert.equal(apiKeyShapeProblem(` ${KEY}\n`), undefined, 'surrounding whitespace is trimmed');
    assert.match(apiKeyShapeProblem('')!, /Paste/);
    assert.match(apiKeyShapeProblem('sk-proj-123456789012345678901234')!, /start with "sk-ant-"/);
    assert.match(apiKeyShapeProblem('sk-ant-abc')!, /too short/);
    assert.match(apiKeyShapeProblem('sk-ant-api03 abcdefghijklmnopqrstuv')!, /no spaces/);
    assert.match(apiKeyShapeProblem('sk-ant-api03-abcdefghijklmnopqrs$uv')!, /only letters/);
  });

  it('shows only the last four characters and redacts keys anywhere in text', () => {
    assert.equal(last4Of(KEY), 'WXYZ');
    const text = `failed with ${KEY} and Bearer sk-ant-api03-otherkeyotherkeyotherkey1234`;
    const redacted = redactSecrets(text, [KEY]);
    assert.ok(!redacted.includes('AbCdEf'));
    assert.ok(!redacted.includes('otherkey'));
    assert.ok(redacted.includes('…WXYZ') && redacted.includes('…1234'));
  });

  it('redaction leaves no key substring longer than four characters, for any surrounding text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const out = redactSecrets(`${before}${KEY}${after}`, [KEY]);
        assert.ok(!out.includes(KEY.slice(0, 20)));
        assert.ok(!out.includes(KEY.slice(10, 30)));
      }),
    );
  });

  it('sends its messages through the given localize', () => {
    const upper = (message: string, ...args: Array<string | number>): string =>
      ENGLISH(message.toUpperCase(), ...args);
    assert.equal(apiKeyShapeProblem('', upper), 'PASTE AN API KEY.');
    assert.equal(apiKeyShapeProblem('abc', upper), 'ANTHROPIC API KEYS START WITH "SK-ANT-".');
    assert.equal(apiKeyShapeProblem(KEY, upper), undefined);
  });
});
