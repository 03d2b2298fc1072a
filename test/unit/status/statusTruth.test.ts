import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitBannerFrom } from '../../../src/chat/model/chatWait';
import { RepaintTimer, REPAINT_INTERVAL_MS, repaintDelayMs } from '../../../src/status/model/repaintTimer';
import type { SchedulerSnapshot } from '../../../src/pacer/index';
import { presentStatus, type StatusPresentation } from '../../../src/status/model/statusPresentation';
import { describeWait, requestWaitFrom } from '../../../src/status/model/waitDescription';
import { key, setup } from '../pacer/schedulerHarness';
import { failure, flush, headers, rateHeaders, success, usage } from '../pacer/scriptedTransport';

const MODEL = 'claude-sonnet-4-6';
const NOW = Date.UTC(2026, 0, 1);
const LIMITS = { limits: { '*': { requests: 10, inputTokens: 1e6, outputTokens: 1e6 } } };

/**
 * Two keys of two organizations: org-a answers with 2 of 10 requests left (which teaches a burst of
 * 3: 67 % of it left), org-b with 9 (90 %).
 */
async function twoOrganizations() {
  const harness = setup(LIMITS, [key('ka'), key('kb')]);
  const { clock, transport, submit } = harness;
  submit('command', 10);
  submit('command', 10);
  const left: Record<string, number> = { ka: 2, kb: 9 };
  for (const a of transport.open)
    a.answer(
      success(
        'ok',
        usage(10, 1),
        rateHeaders(
          clock.now(),
          { requests: [10, left[a.attempt.keyId]!, (10 - left[a.attempt.keyId]!) * 6] },
          { 'anthropic-organization-id': `org-${a.attempt.keyId.slice(1)}` },
        ),
      ),
    );
  await flush();
  return harness;
}

describe('status bar: the pool of the next request', () => {
  it('shows the headroom of the pool the next request would use, not the best pool, and names it', async () => {
    const { scheduler, clock } = await twoOrganizations();
    const snapshot = scheduler.snapshot(MODEL);
    assert.equal(snapshot.next?.keyId, 'ka', 'least recently used key of the soonest pools');
    const view = presentStatus(snapshot, MODEL, clock.now());
    // org-b has 90 % left; the next request goes to org-a, which has 67 %.
    assert.equal(view.text, '$(pulse) Claude 67%');
    assert.match(
      view.tooltip,
      /\*\*Next request\*\* \(claude\\-sonnet\\-4\\-6\): sonnet\\-4\\\.x · organization org\\-a · key label ka — 67% left, starts at once\./,
    );
    assert.match(view.tooltip, /organization org\\-a · \*\*next request\*\*/);
  });

  it('names no pool and shows no zero figures before the first response', async () => {
    const { scheduler, clock, submit, transport } = setup({ limits: {}, probeFirst: true }, [key('k1')]);
    const before = presentStatus(scheduler.snapshot(MODEL), MODEL, clock.now());
    assert.equal(before.text, '$(pulse) Claude');
    assert.equal(
      scheduler.snapshot(MODEL).pools.length,
      0,
      'asking where the next request goes creates no pool',
    );
    assert.match(before.tooltip, /key label k1 — limits learned from its first response, starts at once/);
    assert.match(before.tooltip, /No response yet/);
    submit('command', 10);
    const inFlight = presentStatus(scheduler.snapshot(MODEL), MODEL, clock.now());
    assert.doesNotMatch(inFlight.tooltip, /\| 0 \/ learning/);
    assert.match(inFlight.tooltip, /organization not known yet \(key label k1\): first request under way/);
    transport
      .nth(0)
      .answer(
        success(
          'ok',
          usage(10, 1),
          rateHeaders(clock.now(), { requests: [50, 49, 1.2] }, { 'anthropic-organization-id': 'org-1' }),
        ),
      );
    await flush();
    const after = presentStatus(scheduler.snapshot(MODEL), MODEL, clock.now());
    assert.equal(after.text, '$(pulse) Claude 98%');
    assert.match(after.tooltip, /\| Requests \| 49 \/ 50 \| 98% \|/);
  });
});

describe('status bar: idle refill', () => {
  it('repaints while a bucket refills, the figure rising without any request, and stops once full', async () => {
    const { scheduler, clock, transport } = await twoOrganizations();
    const painted: StatusPresentation[] = [];
    const paint = (): void => {
      const view = presentStatus(scheduler.snapshot(MODEL), MODEL, clock.now());
      painted.push(view);
      timer.arm(view);
    };
    const timer = new RepaintTimer(clock, paint);
    paint();
    assert.equal(painted.at(-1)?.text, '$(pulse) Claude 67%');
    assert.ok(timer.isArmed, 'below full: a repaint is pending');
    clock.advance(3_000);
    // 10 requests per minute: 3 s refill half a request of the burst of 3, with no request and no scheduler change.
    assert.equal(painted.at(-1)?.text, '$(pulse) Claude 83%');
    assert.equal(painted.length, 4, 'one repaint a second');
    clock.advance(10_000);
    assert.equal(painted.at(-1)?.text, '$(pulse) Claude 100%');
    assert.equal(timer.isArmed, false, 'everything full: no timer');
    const count = painted.length;
    clock.advance(600_000);
    assert.equal(painted.length, count, 'idle and full: nothing polls');
    assert.equal(transport.attempts.length, 2);
    timer.dispose();
  });

  it('with nothing queued, says how long a request sent now would wait, and counts that down', async () => {
    const { scheduler, clock, submit, transport } = setup(LIMITS, [key('k1')]);
    const handle = submit('command', 10);
    transport.nth(0).answer(
      failure(
        {
          kind: 'rate_limited',
          status: 429,
          message: 'too many requests',
          midStream: false,
        },
        headers({ 'retry-after': '20', 'anthropic-organization-id': 'org-1' }),
      ),
    );
    await flush();
    handle.cancel();
    const painted: string[] = [];
    const timer = new RepaintTimer(clock, () => paint());
    const paint = (): void => {
      const view = presentStatus(scheduler.snapshot(MODEL), MODEL, clock.now());
      painted.push(view.tooltip);
      timer.arm(view);
    };
    paint();
    assert.match(painted.at(-1)!, /would wait 0:20\./);
    clock.advance(5_000);
    assert.match(painted.at(-1)!, /would wait 0:15\./);
    clock.advance(16_000);
    assert.match(painted.at(-1)!, /starts at once\./);
    timer.dispose();
  });

  it('keeps repainting while a cool-down outlasts full buckets, and stops when nothing moves', () => {
    const dimension = { limit: 10, remaining: 10, capacity: 10, resetAtMs: NOW };
    const pool = {
      id: 'org-1|sonnet-4.x',
      organizationId: 'org-1',
      modelClass: 'sonnet-4.x',
      state: 'cooling' as const,
      dimensions: {
        requests: dimension,
        inputTokens: dimension,
        outputTokens: dimension,
        tokens: { remaining: 0, capacity: 0 },
      },
      headroom: 1,
      queued: 0,
      inFlight: 0,
    };
    const snapshot = (waitMs: number): SchedulerSnapshot => ({
      atMs: NOW,
      pools: [pool],
      keys: [{ id: 'k1', label: 'label k1', last4: '00k1', organizationId: 'org-1', state: 'ok' }],
      queued: { interactive: 0, command: 0, background: 0 },
      inFlight: 0,
      next: {
        model: MODEL,
        modelClass: 'sonnet-4.x',
        keyId: 'k1',
        keyLabel: 'label k1',
        poolId: pool.id,
        waitMs,
      },
    });
    const cooling = presentStatus(snapshot(40_000), MODEL, NOW);
    assert.match(cooling.tooltip, /would wait 0:40\./);
    assert.equal(repaintDelayMs(cooling), REPAINT_INTERVAL_MS);
    const calm = presentStatus(snapshot(0), MODEL, NOW);
    assert.match(calm.tooltip, /starts at once\./);
    assert.equal(repaintDelayMs(calm), undefined);
  });

  it('arms nothing while no pool exists yet', () => {
    const { scheduler, clock } = setup(LIMITS, [key('k1')]);
    const timer = new RepaintTimer(clock, () => assert.fail('no repaint expected'));
    timer.arm(presentStatus(scheduler.snapshot(MODEL), MODEL, clock.now()));
    assert.equal(timer.isArmed, false);
    assert.equal(clock.pendingTimers, 0);
  });
});

describe('status bar: one countdown source', () => {
  it('counts down with the same estimate and words as the wait banner', () => {
    const { clock, submit, scheduler } = setup({
      limits: { '*': { requests: 6, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    for (let i = 0; i < 6; i++) submit('command', 10);
    const waiting = submit('command', 10);
    for (const elapsedMs of [0, 3_000]) {
      clock.advance(elapsedMs);
      const now = clock.now();
      const banner = waitBannerFrom(waiting.progress(), {
        messageId: 'm',
        nowMs: now,
        fallbackModel: '',
        isLong: false,
      });
      const view = presentStatus(scheduler.snapshot(MODEL), MODEL, now);
      assert.ok(banner?.remainingMs !== undefined);
      assert.equal(view.countdownToMs, now + banner.remainingMs);
      const line = describeWait(requestWaitFrom(waiting.progress(), now)!, now);
      assert.ok(view.tooltip.includes(`**Queue:** ${line}`), view.tooltip);
      assert.match(
        view.text,
        new RegExp(`\\$\\(list-ordered\\) 1 0:${String(10 - elapsedMs / 1000).padStart(2, '0')}$`),
      );
    }
    // The queue's countdown is the only one in the hover: no per-limit "full in" countdowns beside it.
    assert.doesNotMatch(presentStatus(scheduler.snapshot(MODEL), MODEL, clock.now()).tooltip, /full in/);
  });
});
