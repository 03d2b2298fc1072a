import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGLISH } from '../../../src/status/model/localize';
import { describeProgress, describeWait, requestWaitFrom } from '../../../src/status/model/waitDescription';

const NOW = 1_000_000;

describe('wait description (chat banner, @claude and the progress notification)', () => {
  it('words a queued request: the limit, the countdown and the 1-based queue place', () => {
    const progress = {
      state: 'queued' as const,
      position: 0,
      estimatedStartMs: NOW + 65_000,
      waitingFor: { kind: 'limit' as const, dimension: 'requests' as const },
      attempts: 0,
      model: 'm',
    };
    assert.deepEqual(requestWaitFrom(progress, NOW), {
      reason: 'requests per minute',
      remainingMs: 65_000,
      position: 1,
    });
    assert.equal(
      describeProgress(progress, NOW),
      'Waiting for requests per minute · starts in 1:05 · #1 in queue',
    );
  });

  it('a retry wait says so and counts down to the retry', () => {
    const progress = { state: 'queued' as const, retryAtMs: NOW + 5_000, attempts: 1, model: 'm' };
    assert.equal(
      describeProgress(progress, NOW),
      'Waiting for retry after a failed attempt · starts in 0:05',
    );
  });

  it('leaves out what is not known, and says when the request is sending or done', () => {
    assert.equal(describeWait({ reason: 'a free slot' }, NOW), 'Waiting for a free slot');
    assert.equal(
      describeProgress({ state: 'queued', estimatedStartMs: NOW - 10, attempts: 0, model: 'm' }, NOW),
      'Waiting for a free slot',
    );
    assert.equal(requestWaitFrom({ state: 'in_flight', attempts: 1, model: 'm' }, NOW), undefined);
    assert.equal(
      describeProgress({ state: 'in_flight', attempts: 1, model: 'm' }, NOW),
      'Claude is answering…',
    );
    assert.equal(describeProgress({ state: 'done', attempts: 1, model: 'm' }, NOW), 'Done.');
  });

  it('sends every text through the given localize, with the values as args', () => {
    const upper = (message: string, ...args: Array<string | number>): string =>
      ENGLISH(message.toUpperCase(), ...args);
    assert.equal(
      describeWait({ reason: 'a free slot', remainingMs: 5_000, position: 2 }, NOW, upper),
      'WAITING FOR a free slot · STARTS IN 0:05 · #2 IN QUEUE',
    );
    assert.equal(
      describeProgress({ state: 'in_flight', attempts: 1, model: 'm' }, NOW, upper),
      'CLAUDE IS ANSWERING…',
    );
    assert.equal(describeProgress({ state: 'done', attempts: 1, model: 'm' }, NOW, upper), 'DONE.');
  });
});
