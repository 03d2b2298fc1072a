import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCountdown, presentStatus } from '../../../src/status/model/statusPresentation';
import { key, setup } from '../pacer/schedulerHarness';
import { failure, flush, headers } from '../pacer/scriptedTransport';

describe('status presentation', () => {
  it('formats countdowns', () => {
    assert.equal(formatCountdown(65_000, 0), '1:05');
    assert.equal(formatCountdown(3_725_000, 0), '1:02:05');
    assert.equal(formatCountdown(-5, 0), '0:00');
  });

  it('offers to add a key when none is stored', () => {
    const { scheduler } = setup({}, []);
    const view = presentStatus(scheduler.snapshot('claude-sonnet-4-6'), 'claude-sonnet-4-6', 0);
    assert.equal(view.text, '$(key) Add Claude key');
    assert.equal(view.needsKey, true);
  });

  it('shows headroom of the current model, queue count and a countdown in warning colour while cooling', async () => {
    const { clock, transport, submit, scheduler } = setup({
      limits: { '*': { requests: 10, inputTokens: 1000, outputTokens: 1e6 } },
    });
    submit('command', 500);
    const idle = presentStatus(scheduler.snapshot('claude-sonnet-4-6'), 'claude-sonnet-4-6', clock.now());
    assert.equal(idle.text, '$(pulse) Claude 50%');
    assert.equal(idle.severity, 'normal');
    transport.nth(0).answer(
      failure(
        {
          kind: 'rate_limited',
          status: 429,
          message: 'rate limit of 1,000 input tokens per minute',
          midStream: false,
        },
        headers({ 'retry-after': '65' }),
      ),
    );
    await flush();
    submit('command', 100);
    submit('command', 100);
    const cooling = presentStatus(scheduler.snapshot('claude-sonnet-4-6'), 'claude-sonnet-4-6', clock.now());
    // The 429 named input tokens and retry-after 65 s: the input bucket is believed empty until then.
    assert.equal(cooling.text, '$(watch) Claude 0% $(list-ordered) 3 1:05');
    assert.equal(cooling.severity, 'warning');
    assert.equal(cooling.countdownToMs, clock.now() + 65_000);
    // The table shows what is left; the only countdown is the queue's (its banner's), not a time to full.
    assert.match(cooling.tooltip, /\| Input tokens \| 0 \/ 1,000 \| 0% \|/);
    assert.match(cooling.tooltip, /\*\*Queue:\*\* Waiting for .* · starts in 1:05 · #1 in queue/);
    // An input-token 429 holds back this request's size, not the key: the key stays usable.
    assert.match(cooling.tooltip, /label k1 …00k1: ok/);
    assert.match(cooling.tooltip, /pacing \(waiting for refill\)/);
  });

  it('turns red when no key is usable', async () => {
    const { transport, submit, scheduler, clock } = setup({}, [key('k1')]);
    submit('command', 10);
    transport
      .nth(0)
      .answer(failure({ kind: 'auth', status: 401, message: 'invalid x-api-key', midStream: false }));
    await flush();
    const view = presentStatus(scheduler.snapshot('claude-sonnet-4-6'), 'claude-sonnet-4-6', clock.now());
    assert.equal(view.severity, 'error');
    assert.match(view.text, /no usable key/);
  });

  it('escapes Markdown in labels so a key label cannot inject links', () => {
    const { scheduler, clock } = setup({}, [{ id: 'x', label: '[click](command:evil)', last4: 'abcd' }]);
    const view = presentStatus(scheduler.snapshot('claude-sonnet-4-6'), 'claude-sonnet-4-6', clock.now());
    assert.ok(!view.tooltip.includes('[click](command:evil)'));
  });
});

describe('status countdown for refill waits', () => {
  it('counts down to the next refill start while requests wait for quota', () => {
    const { clock, submit, scheduler } = setup({
      limits: { '*': { requests: 6, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    for (let i = 0; i < 7; i++) submit('command', 10);
    const view = presentStatus(scheduler.snapshot('claude-sonnet-4-6'), 'claude-sonnet-4-6', clock.now());
    assert.equal(view.countdownToMs, clock.now() + 10_000);
    assert.match(view.text, /\$\(list-ordered\) 1 0:10$/);
    assert.equal(view.severity, 'warning');
  });
});
