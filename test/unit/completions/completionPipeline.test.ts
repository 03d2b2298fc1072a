import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageRequest, RequestHandle, RequestProgress, RequestResult } from '../../../src/pacer/index';
import { CompletionBudget } from '../../../src/completions/model/completionBudget';
import {
  CompletionPipeline,
  type CompletionAsk,
  type PauseReason,
} from '../../../src/completions/model/completionPipeline';
import { ManualClock } from '../../support/manualClock';
import { flush } from '../../support/submitAndDrain';

const REQUEST: MessageRequest = { model: 'claude-haiku-4-5', maxTokens: 64, messages: [] };

/** A scheduler stand-in: each submission's progress and result are set by the test. */
class FakeScheduler {
  readonly submitted: Array<{ signal: AbortSignal; cancelled: boolean }> = [];
  progress: RequestProgress = { state: 'in_flight', attempts: 1, model: REQUEST.model };
  readonly #finish: Array<(result: RequestResult) => void> = [];

  submit(signal: AbortSignal): RequestHandle {
    const record = { signal, cancelled: false };
    this.submitted.push(record);
    let finish!: (result: RequestResult) => void;
    const result = new Promise<RequestResult>((resolve) => (finish = resolve));
    this.#finish.push(finish);
    return {
      id: `r${this.submitted.length}`,
      result,
      progress: () => this.progress,
      cancel: () => {
        record.cancelled = true;
        finish({ status: 'cancelled', partialText: '' });
      },
      keepWaiting: () => undefined,
      switchModel: () => undefined,
    };
  }

  answer(text: string): void {
    this.#finish.at(-1)!({
      status: 'completed',
      text,
      usage: { inputTokens: 1, outputTokens: 1, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
      model: REQUEST.model,
      usedFallback: false,
      attempts: 1,
      keyId: 'k',
      stopReason: 'end_turn',
    });
  }
}

function setUp(spentToday = 0): {
  clock: ManualClock;
  scheduler: FakeScheduler;
  pipeline: CompletionPipeline;
  pauses: Array<[number, PauseReason]>;
} {
  const clock = new ManualClock(Date.UTC(2026, 11, 7, 10));
  const scheduler = new FakeScheduler();
  const pauses: Array<[number, PauseReason]> = [];
  const pipeline = new CompletionPipeline(
    {
      clock,
      budget: new CompletionBudget(
        clock,
        () => spentToday,
        () => 0,
      ),
      submit: (_request, signal) => scheduler.submit(signal),
      onChange: () => () => undefined,
      onPause: (untilMs, reason) => pauses.push([untilMs, reason]),
      log: () => undefined,
    },
    0,
  );
  return { clock, scheduler, pipeline, pauses };
}

const ask = (prefix: string, tokensPerDay = 0): CompletionAsk => ({
  cursor: { prefix, suffix: '\n' },
  build: () => REQUEST,
  debounceMs: 300,
  tokensPerDay,
});

describe('CompletionPipeline', () => {
  it('sends one request per pause, trims the reply, and serves typing through it from the cache', async () => {
    const { clock, scheduler, pipeline } = setUp();
    const first = pipeline.complete(ask('const x = '));
    clock.advance(120);
    const second = pipeline.complete(ask('const x = 4'));
    assert.deepEqual(await first, { outcome: 'stale' });
    clock.advance(300);
    await flush();
    assert.equal(scheduler.submitted.length, 1);
    scheduler.answer('```ts\n2;\n```');
    assert.deepEqual(await second, { outcome: 'completed', text: '2;' });
    assert.deepEqual(await pipeline.complete(ask('const x = 42')), { outcome: 'cached', text: ';' });
    assert.equal(scheduler.submitted.length, 1, 'no request for the cached rest');
  });

  it('stops at the daily completion budget until local midnight, without a request', async () => {
    const { clock, scheduler, pipeline, pauses } = setUp(5_000);
    const answer = pipeline.complete(ask('let y = ', 5_000));
    clock.advance(300);
    assert.deepEqual(await answer, { outcome: 'budget' });
    assert.equal(scheduler.submitted.length, 0);
    assert.deepEqual(pauses, [[Date.UTC(2026, 11, 8), 'budget']]);
    const under = pipeline.complete(ask('let y = ', 5_001));
    clock.advance(300);
    await flush();
    assert.equal(scheduler.submitted.length, 1, 'under a larger budget it is sent');
    scheduler.answer('1;');
    assert.equal((await under).outcome, 'completed');
  });

  it('sheds a completion that would wait over a second, pauses the next ones, and resumes by itself', async () => {
    const { clock, scheduler, pipeline, pauses } = setUp();
    const startMs = clock.now() + 300 + 5_000;
    scheduler.progress = { state: 'queued', estimatedStartMs: startMs, attempts: 0, model: REQUEST.model };
    const shed = pipeline.complete(ask('a'));
    clock.advance(300);
    assert.deepEqual(await shed, { outcome: 'shed' });
    assert.equal(scheduler.submitted[0]?.cancelled, true, 'cancelled, so it is never sent');
    assert.deepEqual(pauses, [[startMs, 'rate_limit']]);
    const paused = pipeline.complete(ask('ab'));
    clock.advance(300);
    assert.deepEqual(await paused, { outcome: 'paused' });
    assert.equal(scheduler.submitted.length, 1, 'nothing sent while paused');
    clock.advanceTo(startMs);
    scheduler.progress = { state: 'in_flight', attempts: 1, model: REQUEST.model };
    const resumed = pipeline.complete(ask('abc'));
    clock.advance(300);
    await flush();
    assert.equal(scheduler.submitted.length, 2);
    scheduler.answer('d');
    assert.deepEqual(await resumed, { outcome: 'completed', text: 'd' });
  });

  it('a newer keystroke aborts the request in flight: its answer is stale', async () => {
    const { clock, scheduler, pipeline } = setUp();
    const first = pipeline.complete(ask('x'));
    clock.advance(300);
    await flush();
    void pipeline.complete(ask('xy'));
    assert.equal(scheduler.submitted[0]?.signal.aborted, true);
    scheduler.answer('late');
    assert.deepEqual(await first, { outcome: 'stale' });
  });
});
