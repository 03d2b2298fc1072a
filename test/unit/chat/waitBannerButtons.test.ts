import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WaitBanner } from '../../../src/chat/model/chatProtocol';
import { retryBlockOf, waitBannerFrom } from '../../../src/chat/model/chatWait';
import { parseHostMessage } from '../../../src/chat/model/parseHostMessage';
import { ENGLISH_PAGE_STRINGS as EN } from '../../../src/chat/model/pageStrings';
import { bannerButtons, type BannerMoment } from '../../../src/chat/model/waitBannerButtons';
import { ManualClock } from '../../support/manualClock';

/** The banner the page got at `clock.now()`, and a moment reader that follows the clock. */
function shown(banner: WaitBanner, clock: ManualClock): (isRetrying?: boolean) => BannerMoment {
  const targetMs = clock.now() + (banner.remainingMs ?? 0);
  return (isRetrying = false) => ({ targetMs, nowMs: clock.now(), isRetrying });
}

const pacing: WaitBanner = {
  messageId: 'm1',
  reason: 'input tokens per minute',
  isLong: false,
  remainingMs: 12_000,
  retryBlockedBy: 'pacing',
};

describe('wait banner buttons', () => {
  it('a pacing wait shows Retry now disabled, saying until when the server would refuse it, on the page clock', () => {
    const clock = new ManualClock();
    const at = shown(pacing, clock);
    const first = bannerButtons(pacing, at(), EN).retry;
    assert.deepEqual(first, {
      state: 'disabled',
      label: 'Retry now',
      aria: 'Retry now is not available. Pacing: the server would refuse it until 0:12',
      reason: 'Pacing: the server would refuse it until 0:12',
    });
    clock.advance(7_000);
    const later = bannerButtons(pacing, at(), EN).retry;
    assert.equal(later.state === 'disabled' && later.reason, 'Pacing: the server would refuse it until 0:05');
    clock.advance(6_000);
    const over = bannerButtons(pacing, at(), EN).retry;
    assert.equal(over.state === 'disabled' && over.reason, 'Pacing: it goes as soon as the limit allows');
    // Pressing is not possible, so "retrying" never shows over a blocked wait.
    assert.equal(bannerButtons(pacing, at(true), EN).retry.state, 'disabled');
  });

  it('a retry wait offers Retry now, which shows "Retrying…" once pressed until the host sends the next banner', () => {
    const clock = new ManualClock();
    const retryWait: WaitBanner = {
      messageId: 'm1',
      reason: 'retry after a failed attempt',
      isLong: false,
      remainingMs: 30_000,
    };
    const at = shown(retryWait, clock);
    assert.deepEqual(bannerButtons(retryWait, at(), EN).retry, {
      state: 'enabled',
      label: 'Retry now',
      aria: 'Retry now, ending the cool-down',
    });
    assert.deepEqual(bannerButtons(retryWait, at(true), EN).retry, {
      state: 'retrying',
      label: 'Retrying…',
      aria: 'Retrying…',
    });
  });

  it('every other block names its reason, without a countdown', () => {
    const clock = new ManualClock();
    const reasons = (['queue', 'first_response', 'ramp', 'shared_budget', 'free_slot'] as const).map(
      (block) => {
        const banner = { ...pacing, retryBlockedBy: block };
        const retry = bannerButtons(banner, shown(banner, clock)(), EN).retry;
        return retry.state === 'disabled' ? retry.reason : retry.state;
      },
    );
    assert.deepEqual(reasons, [
      'Requests queued ahead of it go first',
      'The first response, which tells the limits, comes first',
      'Pacing: fewer requests at once after an acceleration limit',
      'The budget shared with other windows decides when it goes',
      'Nothing to retry: it goes at the next free slot',
    ]);
  });

  it('Switch model shows only when the host named a model, and the long-wait note offers only what is shown', () => {
    const clock = new ManualClock();
    const long = { ...pacing, isLong: true };
    const without = bannerButtons(long, shown(long, clock)(), EN);
    assert.equal(without.switchModel, undefined);
    assert.equal(without.longWait, 'This is a long wait. You can keep waiting or cancel.');
    const withModel = { ...long, fallbackModel: 'claude-haiku-4-5' };
    const offered = bannerButtons(withModel, shown(withModel, clock)(), EN);
    assert.deepEqual(offered.switchModel, {
      model: 'claude-haiku-4-5',
      label: 'Use claude-haiku-4-5',
      aria: 'Send this message with claude-haiku-4-5 instead',
    });
    assert.equal(offered.longWait, 'This is a long wait. You can keep waiting, switch models, or cancel.');
    assert.equal(bannerButtons(pacing, shown(pacing, clock)(), EN).longWait, undefined);
    assert.deepEqual(offered.cancel, { label: 'Cancel', aria: 'Cancel this message' });
  });
});

describe('which waits Retry now can shorten (the host side)', () => {
  const NOW = 1_000_000;
  const queued = { state: 'queued' as const, attempts: 1, model: 'claude-sonnet-4-6' };

  it('a cool-down, a transient retry and a retry countdown that binds: it retries', () => {
    assert.equal(
      retryBlockOf({ ...queued, waitingFor: { kind: 'cool_down', limit: 'requests' } }, NOW),
      undefined,
    );
    assert.equal(retryBlockOf({ ...queued, waitingFor: { kind: 'transient_retry' } }, NOW), undefined);
    assert.equal(
      retryBlockOf({ ...queued, retryAtMs: NOW + 9_000, estimatedStartMs: NOW + 2_000 }, NOW),
      undefined,
    );
  });

  it('pacing and the rest: blocked, also when a shorter retry wait hides under a bucket wait', () => {
    const limit = { kind: 'limit', dimension: 'inputTokens' } as const;
    assert.equal(
      retryBlockOf({ ...queued, waitingFor: limit, estimatedStartMs: NOW + 12_000 }, NOW),
      'pacing',
    );
    assert.equal(
      retryBlockOf(
        { ...queued, waitingFor: limit, retryAtMs: NOW + 2_000, estimatedStartMs: NOW + 12_000 },
        NOW,
      ),
      'pacing',
    );
    assert.equal(retryBlockOf({ ...queued, waitingFor: { kind: 'queued_ahead' } }, NOW), 'queue');
    assert.equal(retryBlockOf({ ...queued, waitingFor: { kind: 'shared_budget' } }, NOW), 'shared_budget');
    assert.equal(retryBlockOf(queued, NOW), 'free_slot');
  });

  it('the banner carries the block and the page validator keeps it; a bogus block is refused', () => {
    const banner = waitBannerFrom(
      {
        ...queued,
        waitingFor: { kind: 'limit', dimension: 'requests' },
        estimatedStartMs: NOW + 12_000,
      },
      { messageId: 'm1', nowMs: NOW, fallbackModel: '', isLong: false },
    );
    assert.equal(banner?.retryBlockedBy, 'pacing');
    const parsed = parseHostMessage({ type: 'wait', banner });
    assert.deepEqual(parsed, { type: 'wait', banner });
    assert.equal(
      parseHostMessage({ type: 'wait', banner: { ...banner, retryBlockedBy: 'later' } }),
      undefined,
    );
  });
});
