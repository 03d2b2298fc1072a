import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cacheSavings,
  limitsByClass,
  tokenSeries,
  waitsByKeyAndClass,
} from '../../../src/usage/model/usageSeries';
import { UsageTimeline } from '../../../src/usage/model/usageTimeline';
import { ManualClock } from '../../support/manualClock';

const SONNET = 'claude-sonnet-4-6';
const HAIKU35 = 'claude-3-5-haiku-20241022';
const NO_LIMITS = new Map();

describe('tokenSeries', () => {
  it('is empty for an empty timeline', () => {
    const clock = new ManualClock();
    assert.deepEqual(tokenSeries(new UsageTimeline().rows(0), clock.now(), 'hour', NO_LIMITS), []);
  });

  it('buckets the last hour by minute, per model class, with input counted as the input limit counts it', () => {
    const clock = new ManualClock();
    const timeline = new UsageTimeline();
    timeline.add(clock.now(), 'k1', SONNET, {
      inputTokens: 100,
      cacheWriteTokens: 50,
      cacheReadTokens: 1_000,
      outputTokens: 10,
    });
    clock.advance(30_000);
    timeline.add(clock.now(), 'k2', 'claude-sonnet-4-5', { inputTokens: 10, outputTokens: 5 });
    clock.advance(60_000);
    timeline.add(clock.now(), 'k1', HAIKU35, { inputTokens: 20, cacheReadTokens: 300, outputTokens: 1 });
    const series = tokenSeries(timeline.rows(0), clock.now(), 'hour', NO_LIMITS);
    assert.deepEqual(
      series.map((s) => s.modelClass),
      ['haiku-3.5', 'sonnet-4.x'],
    );
    const [haiku, sonnet] = series;
    assert.equal(sonnet!.startsMs.length, 60);
    assert.equal(sonnet!.startsMs.at(-1), clock.now() - 30_000);
    // Cache reads do not count for Sonnet 4.x; both keys add up in their class.
    assert.deepEqual(sonnet!.inputPerMinute.slice(-2), [160, 0]);
    assert.deepEqual(sonnet!.outputPerMinute.slice(-2), [15, 0]);
    // Haiku 3.5 is a † class: its cache reads count.
    assert.deepEqual(haiku!.inputPerMinute.slice(-1), [320]);
  });

  it('leaves out minutes older than the window', () => {
    const clock = new ManualClock();
    const timeline = new UsageTimeline();
    timeline.add(clock.now(), 'k1', SONNET, { inputTokens: 100 });
    clock.advance(60 * 60_000);
    assert.deepEqual(tokenSeries(timeline.rows(0), clock.now(), 'hour', NO_LIMITS), []);
    assert.equal(
      tokenSeries(timeline.rows(0), clock.now(), 'day', NO_LIMITS)[0]!.inputPerMinute[22],
      100 / 60,
    );
  });

  it('keeps a day window continuous across midnight, averaged per minute in hourly buckets', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 23, 59));
    const timeline = new UsageTimeline();
    timeline.add(clock.now(), 'k1', SONNET, { outputTokens: 600 });
    clock.advance(2 * 60_000); // 00:01 the next day
    timeline.add(clock.now(), 'k1', SONNET, { outputTokens: 120 });
    const [day] = tokenSeries(timeline.rows(0), clock.now(), 'day', NO_LIMITS);
    assert.equal(day!.startsMs.at(-1), Date.UTC(2026, 0, 2, 0, 0));
    assert.deepEqual(day!.outputPerMinute.slice(-2), [10, 2]);
  });

  it('carries each class its limits from the scheduler snapshot, summed over organizations', () => {
    const dims = (input?: number, output?: number) => ({
      requests: { remaining: 0, capacity: 0 },
      inputTokens: { ...(input !== undefined ? { limit: input } : {}), remaining: 0, capacity: 0 },
      outputTokens: { ...(output !== undefined ? { limit: output } : {}), remaining: 0, capacity: 0 },
      tokens: { remaining: 0, capacity: 0 },
    });
    const pool = (organizationId: string, modelClass: string, input?: number, output?: number) => ({
      id: `${organizationId}/${modelClass}`,
      organizationId,
      modelClass,
      state: 'ok' as const,
      dimensions: dims(input, output),
      queued: 0,
      inFlight: 0,
    });
    const limits = limitsByClass({
      pools: [
        pool('o1', 'sonnet-4.x', 30_000, 8_000),
        pool('o2', 'sonnet-4.x', 30_000, 8_000),
        pool('o1', 'opus-4.x'),
      ],
    });
    assert.deepEqual(limits.get('sonnet-4.x'), { inputPerMinute: 60_000, outputPerMinute: 16_000 });
    assert.deepEqual(limits.get('opus-4.x'), {});
    const clock = new ManualClock();
    const timeline = new UsageTimeline();
    timeline.add(clock.now(), 'k1', SONNET, { inputTokens: 1 });
    const [series] = tokenSeries(timeline.rows(0), clock.now(), 'hour', limits);
    assert.equal(series!.inputLimit, 60_000);
    assert.equal(series!.outputLimit, 16_000);
  });
});

describe('waitsByKeyAndClass and cacheSavings', () => {
  it('sums waits and 429s per key and model class since a time', () => {
    const clock = new ManualClock();
    const timeline = new UsageTimeline();
    timeline.add(clock.now(), 'k1', SONNET, { requests: 1, status429: 1 });
    clock.advance(5 * 60_000);
    const since = clock.now();
    timeline.add(clock.now(), 'k1', SONNET, { requests: 2, waits: 1, waitMs: 180_000, status429: 1 });
    timeline.add(clock.now(), 'k2', SONNET, { requests: 1 });
    timeline.add(clock.now(), 'k1', 'claude-opus-4-6', { requests: 1, waits: 1, waitMs: 2_000 });
    assert.deepEqual(waitsByKeyAndClass(timeline.rows(0), since), [
      { keyId: 'k1', modelClass: 'opus-4.x', requests: 1, waits: 1, waitMs: 2_000, status429: 0 },
      { keyId: 'k1', modelClass: 'sonnet-4.x', requests: 2, waits: 1, waitMs: 180_000, status429: 1 },
      { keyId: 'k2', modelClass: 'sonnet-4.x', requests: 1, waits: 0, waitMs: 0, status429: 0 },
    ]);
  });

  it('counts cache reads as saved input-limit tokens except for classes whose reads count', () => {
    const clock = new ManualClock();
    const timeline = new UsageTimeline();
    timeline.add(clock.now(), 'k1', SONNET, { inputTokens: 100, cacheReadTokens: 900 });
    timeline.add(clock.now(), 'k1', HAIKU35, { inputTokens: 100, cacheReadTokens: 900 });
    assert.deepEqual(cacheSavings(timeline.rows(0), 0), [
      { modelClass: 'haiku-3.5', cacheReadTokens: 900, itpmTokensSaved: 0, itpmTokensCounted: 1_000 },
      { modelClass: 'sonnet-4.x', cacheReadTokens: 900, itpmTokensSaved: 900, itpmTokensCounted: 100 },
    ]);
  });
});

describe('UsageTimeline', () => {
  it('round-trips through its persisted form, drops invalid rows, and prunes minutes older than a day', () => {
    const clock = new ManualClock();
    const timeline = new UsageTimeline();
    timeline.add(clock.now(), 'k1', SONNET, { requests: 1, outputTokens: -5, inputTokens: Number.NaN });
    clock.advance(24 * 60 * 60_000 + 60_000);
    timeline.add(clock.now(), 'k1', SONNET, { requests: 1 });
    const restored = new UsageTimeline([
      ...timeline.toJSON(),
      { minuteMs: 5, keyId: 'k', model: 'm' },
      'junk',
    ]);
    assert.equal(restored.rows(0).length, 2);
    assert.equal(restored.rows(0)[0]!.outputTokens, 0);
    restored.prune(clock.now());
    assert.deepEqual(
      restored.rows(0).map((r) => r.minuteMs),
      [clock.now()],
    );
    assert.deepEqual(new UsageTimeline({ not: 'an array' }).rows(0), []);
  });
});
