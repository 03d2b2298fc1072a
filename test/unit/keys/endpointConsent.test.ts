import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EndpointConsent, REFUSAL_HOLDS_MS } from '../../../src/keys/model/endpointConsent';

/** A consent gate whose questions are answered by `answers` in order, recording each host asked about. */
function gate(answers: boolean[], preApproved = 'api.anthropic.com') {
  let stored: readonly string[] = [];
  let nowMs = 0;
  const asked: string[] = [];
  const consent = new EndpointConsent({
    store: { get: () => stored, set: (hosts) => Promise.resolve(void (stored = hosts)) },
    ask: async (host) => {
      asked.push(host);
      await Promise.resolve();
      const answer = answers.shift();
      if (answer === undefined) throw new Error('the dialog went away');
      return answer;
    },
    isPreApproved: (url) => url.host === preApproved,
    now: () => nowMs,
  });
  return { consent, asked, stored: () => stored, advance: (ms: number) => void (nowMs += ms) };
}

void describe('EndpointConsent', () => {
  void it('never asks about a pre-approved host', async () => {
    const { consent, asked } = gate([]);
    assert.equal(await consent.approve('https://api.anthropic.com'), true);
    assert.deepEqual(asked, []);
  });

  void it('asks once, naming the host, for every request waiting on it; a yes is remembered per host', async () => {
    const { consent, asked, stored } = gate([true, true]);
    const answers = await Promise.all([1, 2, 3].map(() => consent.approve('https://api.example.com/v1')));
    assert.deepEqual(answers, [true, true, true]);
    assert.deepEqual(asked, ['api.example.com']);
    assert.deepEqual(stored(), ['api.example.com']);
    assert.equal(await consent.approve('https://api.example.com'), true);
    assert.deepEqual(asked, ['api.example.com'], 'not asked again');
    // Another host, or another port of the same name, is another question.
    assert.equal(await consent.approve('https://api.example.com:8443'), true);
    assert.deepEqual(asked, ['api.example.com', 'api.example.com:8443']);
  });

  void it('a refusal answers the queue behind it, is never stored, and a later request asks again', async () => {
    const { consent, asked, stored, advance } = gate([false, true]);
    const answers = await Promise.all([1, 2].map(() => consent.approve('https://proxy.example')));
    assert.deepEqual(answers, [false, false]);
    assert.equal(await consent.approve('https://proxy.example'), false, 'the queue behind it fails too');
    assert.deepEqual(asked, ['proxy.example']);
    assert.deepEqual(stored(), []);
    advance(REFUSAL_HOLDS_MS);
    assert.equal(await consent.approve('https://proxy.example'), true);
    assert.deepEqual(asked, ['proxy.example', 'proxy.example']);
  });

  void it('a dialog that fails, or an unparsable URL, means no', async () => {
    const { consent, stored } = gate([]);
    assert.equal(await consent.approve('https://gone.example'), false);
    assert.equal(await consent.approve('not a url'), false);
    assert.equal(consent.isApproved('not a url'), false);
    assert.deepEqual(stored(), []);
  });
});
