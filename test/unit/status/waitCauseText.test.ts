import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestProgress } from '../../../src/pacer/index';
import { waitBannerFrom } from '../../../src/chat/model/chatWait';
import { ENGLISH, type Localize } from '../../../src/status/model/localize';
import { describeProgress } from '../../../src/status/model/waitDescription';
import { waitCauseText, type ShownWaitCause } from '../../../src/status/model/waitCauseText';

const NOW = 1_000_000;
/** A Localize that marks what it translated, so an untranslated word shows. */
const marked: Localize = (message, ...args) => ENGLISH(`«${message}»`, ...args);

describe('wait causes in words (the engine gives codes, the models word them)', () => {
  it('words every cause the engine and the models give', () => {
    const cases: Array<[ShownWaitCause, string]> = [
      [{ kind: 'free_slot' }, 'a free slot'],
      [{ kind: 'limit', dimension: 'requests' }, 'requests per minute'],
      [{ kind: 'limit', dimension: 'inputTokens' }, 'input tokens per minute'],
      [{ kind: 'limit', dimension: 'outputTokens' }, 'output tokens per minute'],
      [{ kind: 'limit', dimension: 'tokens' }, 'total tokens per minute'],
      [{ kind: 'cool_down', limit: 'requests' }, 'cool-down after a 429 on requests per minute'],
      [{ kind: 'cool_down', limit: 'acceleration' }, 'cool-down after a 429 on acceleration limit'],
      [{ kind: 'cool_down', limit: 'unnamed' }, 'cool-down after a 429 on a limit the server did not name'],
      [{ kind: 'ramp' }, 'slower ramp-up after an acceleration limit'],
      [{ kind: 'first_response' }, 'first response (learning the limits)'],
      [{ kind: 'transient_retry' }, 'retry after a transient error'],
      [{ kind: 'queued_ahead' }, 'requests queued ahead of it'],
      [{ kind: 'shared_budget' }, 'the budget shared with other windows'],
      [{ kind: 'failed_attempt_retry' }, 'retry after a failed attempt'],
    ];
    for (const [cause, words] of cases) assert.equal(waitCauseText(cause), words, cause.kind);
  });

  it('translates each word through the Localize, the inner limit too', () => {
    assert.equal(
      waitCauseText({ kind: 'limit', dimension: 'inputTokens' }, marked),
      '«input tokens per minute»',
    );
    assert.equal(
      waitCauseText({ kind: 'cool_down', limit: 'tokens' }, marked),
      '«cool-down after a 429 on «total tokens per minute»»',
    );
  });

  it('reaches the progress line and the chat banner translated', () => {
    const progress: RequestProgress = {
      state: 'queued',
      position: 0,
      estimatedStartMs: NOW + 5_000,
      waitingFor: { kind: 'limit', dimension: 'outputTokens' },
      attempts: 0,
      model: 'm',
    };
    assert.equal(
      describeProgress(progress, NOW, marked),
      '«Waiting for «output tokens per minute»» · «starts in 0:05» · «#1 in queue»',
    );
    const banner = waitBannerFrom(
      progress,
      { messageId: 'a', nowMs: NOW, fallbackModel: '', isLong: false },
      marked,
    );
    assert.equal(banner?.reason, '«output tokens per minute»');
  });
});
