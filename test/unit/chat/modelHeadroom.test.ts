import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headroomText, modelHeadroom } from '../../../src/chat/model/modelHeadroom';
import { switchCandidate } from '../../../src/chat/model/chatProtocol';
import { setup } from '../pacer/schedulerHarness';

const SONNET = 'claude-sonnet-4-6';
const HAIKU = 'claude-haiku-4-5';

void describe('model headroom for the chat picker', () => {
  void it('says there is no key when none is stored', () => {
    const { scheduler } = setup({}, []);
    const headroom = modelHeadroom(scheduler.snapshot(SONNET), SONNET);
    assert.deepEqual(headroom, { kind: 'noKey' });
    assert.equal(headroomText(headroom), 'no usable key for this model');
  });

  void it('reads each model’s own pool: what is left of the tightest limit now', () => {
    const { submit, scheduler } = setup({
      limits: { '*': { requests: 10, inputTokens: 1000, outputTokens: 1e6 } },
    });
    submit('command', 500);
    const sonnet = modelHeadroom(scheduler.snapshot(SONNET), SONNET);
    assert.deepEqual(sonnet, { kind: 'known', share: 0.5, isCooling: false, waitMs: 0 });
    assert.equal(headroomText(sonnet), '50% of its budget left now');
    // Haiku is another model class: nothing was sent there, so its budget is not known yet.
    const haiku = modelHeadroom(scheduler.snapshot(HAIKU), HAIKU);
    assert.deepEqual(haiku, { kind: 'unknown' });
    assert.match(headroomText(haiku), /not known yet/);
  });

  void it('words a wait and a cool-down', () => {
    assert.equal(
      headroomText({ kind: 'known', share: 0.04, isCooling: false, waitMs: 11_200 }),
      '4% of its budget left now; a request now would wait 12 s',
    );
    assert.equal(
      headroomText({ kind: 'known', share: 0, isCooling: true, waitMs: 65_000 }),
      '0% of its budget left, cooling down after a 429 (65 s)',
    );
  });
});

void describe('the Switch model candidate of the wait banner', () => {
  void it('is the picker’s choice when it differs from the waiting model, else the fallback, else none', () => {
    assert.equal(switchCandidate(SONNET, { model: HAIKU, isChosen: true }), HAIKU);
    assert.equal(switchCandidate(SONNET, { model: SONNET, isChosen: true, fallbackModel: HAIKU }), HAIKU);
    // The setting's model (nothing picked) is what the answer was sent with, not a choice: the fallback is offered.
    assert.equal(switchCandidate(HAIKU, { model: SONNET, isChosen: false, fallbackModel: HAIKU }), undefined);
    assert.equal(
      switchCandidate(SONNET, { model: 'claude-opus-4-8', isChosen: false, fallbackModel: HAIKU }),
      HAIKU,
    );
    assert.equal(
      switchCandidate(SONNET, { model: SONNET, isChosen: false, fallbackModel: SONNET }),
      undefined,
    );
    assert.equal(switchCandidate(SONNET, { model: SONNET, isChosen: false, fallbackModel: ' ' }), undefined);
  });
});
