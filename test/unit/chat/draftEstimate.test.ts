import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateDraft } from '../../../src/chat/model/draftEstimate';
import { MAX_PROMPT_CHARS } from '../../../src/chat/model/chatProtocol';

const budget = { baseTokens: 1_000, charsPerToken: 4, model: 'claude-sonnet-4-6', limitTokens: 30_000 };

describe('the composer estimate of a draft', () => {
  it('adds the draft to the base tokens and names the limit and the model', () => {
    assert.deepEqual(estimateDraft(budget, 'x'.repeat(10)), {
      estimate: '≈ 1,003 input tokens of 30,000/min · claude-sonnet-4-6',
      warning: '',
      isTooBig: false,
      isTooLong: false,
    });
    const { limitTokens: _limit, ...unlimited } = budget;
    assert.equal(estimateDraft(unlimited, '').estimate, '≈ 1,000 input tokens · claude-sonnet-4-6');
  });

  it('warns when the draft can never fit the per-minute limit', () => {
    const draft = estimateDraft(budget, 'x'.repeat(4 * 29_001 + 1));
    assert.equal(draft.isTooBig, true);
    assert.match(draft.warning, /about 30,002 input tokens, more than your limit of 30,000 per minute/);
  });

  it('says nothing before the host sent a budget', () => {
    assert.deepEqual(estimateDraft(undefined, 'hello'), {
      estimate: '',
      warning: '',
      isTooBig: false,
      isTooLong: false,
    });
  });
});

describe('estimateDraft and the size the host accepts', () => {
  it('a draft longer than one message may be is refused in the page, with the reason', () => {
    const draft = estimateDraft(undefined, 'x'.repeat(MAX_PROMPT_CHARS + 1));
    assert.equal(draft.isTooLong, true);
    assert.notEqual(draft.warning, '');
  });
});
