import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dashboardData } from '../../../src/usage/model/dashboardData';
import { parseDashboardMessage, parseHostToDashboard } from '../../../src/usage/model/dashboardProtocol';
import {
  dashboardStringsFromJson,
  ENGLISH_DASHBOARD_STRINGS,
} from '../../../src/usage/model/dashboardStrings';
import { UsageTimeline } from '../../../src/usage/model/usageTimeline';
import { ManualClock } from '../../support/manualClock';

function sampleData() {
  const clock = new ManualClock();
  const timeline = new UsageTimeline();
  timeline.add(clock.now(), 'k1', 'claude-sonnet-4-6', {
    requests: 2,
    inputTokens: 1_000,
    outputTokens: 50,
    status429: 1,
  });
  timeline.add(clock.now(), 'k1', 'mystery-model', { requests: 1, inputTokens: 10, waits: 1, waitMs: 3_000 });
  return dashboardData({
    nowMs: clock.now(),
    rows: timeline.rows(0),
    limits: new Map([['sonnet-4.x', { inputPerMinute: 30_000 }]]),
    keyName: (id) => `Work …${id}`,
    atLimitTodayMs: 180_000,
    waitTodayMs: 3_000,
  });
}

describe('dashboard protocol', () => {
  it('accepts the page messages it knows and ignores everything else', () => {
    assert.deepEqual(parseDashboardMessage({ type: 'copyMarkdown', extra: '<script>' }), {
      type: 'copyMarkdown',
    });
    assert.deepEqual(parseDashboardMessage({ type: 'ready' }), { type: 'ready' });
    for (const hostile of [
      undefined,
      null,
      'ready',
      [],
      { type: 'runCommand' },
      { type: ['ready'] },
      {
        get type() {
          return 'ready';
        },
      },
    ])
      assert.equal(parseDashboardMessage(hostile), undefined);
  });

  it('round-trips the host data through JSON, and refuses data with a bad field anywhere', () => {
    const data = sampleData();
    const wire = JSON.parse(JSON.stringify({ type: 'data', data })) as unknown;
    assert.deepEqual(parseHostToDashboard(wire), { type: 'data', data });
    assert.equal(data.costs.find((c) => c.model === 'mystery-model')?.costUsd, undefined);
    assert.equal(data.waits[0]?.key, 'Work …k1');
    const broken = JSON.parse(JSON.stringify({ type: 'data', data })) as {
      data: { hour: Array<{ inputPerMinute: unknown[] }> };
    };
    broken.data.hour[0]!.inputPerMinute[3] = -1;
    assert.equal(parseHostToDashboard(broken), undefined);
    assert.equal(parseHostToDashboard({ type: 'data', data: { ...data, costs: 'lots' } }), undefined);
    assert.equal(
      parseHostToDashboard({ type: 'data', data: { ...data, generatedAtMs: Number.NaN } }),
      undefined,
    );
    assert.equal(parseHostToDashboard({ type: 'other', data }), undefined);
  });

  it('falls back to English for strings that are missing, empty, not text, or when the table is not JSON', () => {
    const table = dashboardStringsFromJson(
      JSON.stringify({ copyMarkdown: 'Als Markdown kopieren', noPrice: '', pageTitle: 5 }),
    );
    assert.equal(table.copyMarkdown, 'Als Markdown kopieren');
    assert.equal(table.noPrice, ENGLISH_DASHBOARD_STRINGS.noPrice);
    assert.equal(table.pageTitle, ENGLISH_DASHBOARD_STRINGS.pageTitle);
    assert.deepEqual(dashboardStringsFromJson('{not json'), ENGLISH_DASHBOARD_STRINGS);
    assert.deepEqual(dashboardStringsFromJson(null), ENGLISH_DASHBOARD_STRINGS);
  });
});
