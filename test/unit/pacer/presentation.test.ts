import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { apiKeyShapeProblem, last4Of, redactSecrets } from '../../../src/keys/model/apiKeyShape';
import { extractCode, selectionRequest } from '../../../src/commands/model/editPrompts';
import { adviseOnFailure } from '../../../src/status/model/failureAdvice';
import { formatCountdown, presentStatus } from '../../../src/status/model/statusPresentation';
import { key, setup } from './schedulerHarness';
import { failure, flush, headers } from './scriptedTransport';

// Built from parts so secret scanners do not mistake this test fixture for a leaked key.
const KEY = ['sk-ant-api03', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdWXYZ'].join('-');

describe('API key shape and redaction', () => {
  it('accepts a plausible key and explains what is wrong with others', () => {
    assert.equal(apiKeyShapeProblem(KEY), undefined);
    assert.equal(apiKeyShapeProblem(` ${KEY}\n`), undefined, 'surrounding whitespace is trimmed');
    assert.match(apiKeyShapeProblem('')!, /Paste/);
    assert.match(apiKeyShapeProblem('sk-proj-123456789012345678901234')!, /start with "sk-ant-"/);
    assert.match(apiKeyShapeProblem('sk-ant-abc')!, /too short/);
    assert.match(apiKeyShapeProblem('sk-ant-api03 abcdefghijklmnopqrstuv')!, /no spaces/);
    assert.match(apiKeyShapeProblem('sk-ant-api03-abcdefghijklmnopqrs$uv')!, /only letters/);
  });

  it('shows only the last four characters and redacts keys anywhere in text', () => {
    assert.equal(last4Of(KEY), 'WXYZ');
    const text = `failed with ${KEY} and Bearer sk-ant-api03-otherkeyotherkeyotherkey1234`;
    const redacted = redactSecrets(text, [KEY]);
    assert.ok(!redacted.includes('AbCdEf'));
    assert.ok(!redacted.includes('otherkey'));
    assert.ok(redacted.includes('…WXYZ') && redacted.includes('…1234'));
  });

  it('redaction leaves no key substring longer than four characters, for any surrounding text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const out = redactSecrets(`${before}${KEY}${after}`, [KEY]);
        assert.ok(!out.includes(KEY.slice(0, 20)));
        assert.ok(!out.includes(KEY.slice(10, 30)));
      }),
    );
  });
});

describe('status presentation', () => {
  it('formats countdowns', () => {
    assert.equal(formatCountdown(65_000, 0), '1:05');
    assert.equal(formatCountdown(3_725_000, 0), '1:02:05');
    assert.equal(formatCountdown(-5, 0), '0:00');
  });

  it('offers to add a key when none is stored', () => {
    const { scheduler } = setup({}, []);
    const view = presentStatus(scheduler.snapshot(), 'claude-sonnet-4-6', 0);
    assert.equal(view.text, '$(key) Add Claude key');
    assert.equal(view.needsKey, true);
  });

  it('shows headroom of the current model, queue count and a countdown in warning colour while cooling', async () => {
    const { clock, transport, submit, scheduler } = setup({
      limits: { '*': { requests: 10, inputTokens: 1000, outputTokens: 1e6 } },
    });
    submit('command', 500);
    const idle = presentStatus(scheduler.snapshot(), 'claude-sonnet-4-6', clock.now());
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
    const cooling = presentStatus(scheduler.snapshot(), 'claude-sonnet-4-6', clock.now());
    // The 429 named input tokens and retry-after 65 s: the input bucket is believed empty until then.
    assert.equal(cooling.text, '$(watch) Claude 0% $(list-ordered) 3 1:05');
    assert.equal(cooling.severity, 'warning');
    assert.equal(cooling.countdownToMs, clock.now() + 65_000);
    // retry-after 65 s for 500 tokens at 1,000 per minute: the bucket is 583 short, 1:35 from full.
    assert.match(cooling.tooltip, /\| Input tokens \| 0 \/ 1,000 \| full in 1:35 \|/);
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
    const view = presentStatus(scheduler.snapshot(), 'claude-sonnet-4-6', clock.now());
    assert.equal(view.severity, 'error');
    assert.match(view.text, /no usable key/);
  });

  it('escapes Markdown in labels so a key label cannot inject links', () => {
    const { scheduler, clock } = setup({}, [{ id: 'x', label: '[click](command:evil)', last4: 'abcd' }]);
    const view = presentStatus(scheduler.snapshot(), 'claude-sonnet-4-6', clock.now());
    assert.ok(!view.tooltip.includes('[click](command:evil)'));
  });
});

describe('failure advice', () => {
  it('gives one sentence and the actions that fix it', () => {
    assert.deepEqual(adviseOnFailure({ kind: 'no_keys', message: '' }).actions, ['addKey']);
    assert.deepEqual(adviseOnFailure({ kind: 'interrupted', message: 'cut' }).actions, [
      'continue',
      'showLog',
    ]);
    const spend = adviseOnFailure({ kind: 'spend_limit', message: '', resumesAtMs: Date.UTC(2026, 8, 1) });
    assert.match(spend.message, /resumes Tue, 01 Sep 2026 00:00:00 GMT/);
  });
});

describe('edit prompts', () => {
  it('fences the code with a fence longer than any backtick run inside it', () => {
    const request = selectionRequest(
      'fix',
      { languageId: 'ts', fileName: 'a.ts', code: 'const s = `x```;', diagnostics: ['line 1: bad'] },
      'm',
      100,
    );
    const text = request.messages[0]!.content as string;
    assert.match(text, /````ts\nconst s/);
    assert.match(text, /- line 1: bad/);
  });

  it('extracts the code of the first fenced block', () => {
    assert.equal(extractCode('Here:\n```ts\nconst a = 1;\n```\nDone'), 'const a = 1;');
    assert.equal(extractCode('no fence'), 'no fence');
  });
});

describe('status countdown for refill waits', () => {
  it('counts down to the next refill start while requests wait for quota', () => {
    const { clock, submit, scheduler } = setup({
      limits: { '*': { requests: 6, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    for (let i = 0; i < 7; i++) submit('command', 10);
    const view = presentStatus(scheduler.snapshot(), 'claude-sonnet-4-6', clock.now());
    assert.equal(view.countdownToMs, clock.now() + 10_000);
    assert.match(view.text, /\$\(list-ordered\) 1 0:10$/);
    assert.equal(view.severity, 'warning');
  });
});
