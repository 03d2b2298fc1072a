import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { presentStatus } from '../../src/status/model/statusPresentation';
import { note } from './support/reportFile';
import { TEST_ORG, withSimulator } from './support/pacer';
import { waitUntil } from '../support/waitUntil';

/** The fixture extension under test/fixtures/lm-consumer, installed into each run's extensions folder. */
const CONSUMER_ID = 'claude-pacer-tests.lm-consumer';

interface Read {
  readonly text: string;
  readonly calls: readonly { callId: string; name: string; input: unknown }[];
}

interface ConsumerApi {
  toolRoundTrip(): Promise<{
    model: { id: string; vendor: string; name: string; maxInputTokens: number };
    first: Read;
    final?: Read;
    tokens?: number;
  }>;
  cancelMidStream(prompt: string): Promise<{ text: string; ending: string }>;
}

async function consumer(): Promise<ConsumerApi> {
  const extension = vscode.extensions.getExtension<ConsumerApi>(CONSUMER_ID);
  assert.ok(extension, `the fixture extension ${CONSUMER_ID} is loaded`);
  return extension.activate();
}

/** Limits under which a drained bucket makes each request wait 60 / requestsPerMinute seconds. */
function tightLimits(requestsPerMinute: number, reply: Record<string, number>): Record<string, unknown> {
  return {
    reply,
    organizations: [
      {
        id: TEST_ORG,
        keys: ['sk-ant-sim-itest-key-aaaa1111'],
        limits: {
          default: { requestsPerMinute, inputTokensPerMinute: 1_000_000, outputTokensPerMinute: 400_000 },
        },
      },
    ],
  };
}

/** Waits until selectChatModels lists our models (VS Code asks again after the key change). */
async function ourModels(): Promise<readonly vscode.LanguageModelChat[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const models = await vscode.lm.selectChatModels({ vendor: 'claude-pacer' });
    if (models.length > 0 || Date.now() > deadline) return models;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

suite('Language-model provider', function () {
  this.timeout(60_000);

  test('another extension calls a tool through our model, waiting on tight limits, with the wait in the status bar', async () => {
    const { sim, api, dispose } = await withSimulator(
      tightLimits(30, { minOutputTokens: 5, maxOutputTokens: 12, tokensPerSecond: 0 }),
    );
    try {
      const models = await ourModels();
      note(`models: ${models.map((m) => `${m.id} (${m.maxInputTokens})`).join(', ')}`);
      assert.ok(
        models.some((m) => m.id === 'claude-opus-5'),
        'the list comes from GET /v1/models, not the built-in table',
      );
      sim.drainBuckets(TEST_ORG);
      const fixture = await consumer();
      const running = fixture.toolRoundTrip();
      const statusTexts = new Set<string>();
      let isDone = false;
      void running.finally(() => (isDone = true));
      await waitUntil(
        () => {
          const text = presentStatus(
            api.service.scheduler.snapshot(),
            api.service.settings.model,
            Date.now(),
          ).text;
          statusTexts.add(text);
          return isDone || /\$\(watch\)|\$\(list-ordered\)/.test(text);
        },
        { timeoutMs: 20_000, intervalMs: 20, what: 'the status bar to show the wait' },
      );
      const outcome = await running;
      note(`status while waiting: ${[...statusTexts].join(' | ')}`);
      note(`round trip: ${JSON.stringify(outcome)}`);
      assert.ok(
        [...statusTexts].some((t) => /\$\(watch\)|\$\(list-ordered\) 1/.test(t)),
        'the status bar showed the queued request or its countdown',
      );
      assert.equal(outcome.model.vendor, 'claude-pacer');
      assert.equal(outcome.first.calls.length, 1, 'one tool call');
      assert.equal(outcome.first.calls[0]?.name, 'get_weather');
      assert.deepEqual(outcome.first.calls[0]?.input, { city: 'sim' });
      assert.ok(outcome.final, 'the tool result was sent back');
      assert.equal(outcome.final.calls.length, 0);
      assert.ok(outcome.final.text.length > 0, 'the final answer is text');
      assert.ok((outcome.tokens ?? 0) > 0, 'countTokens answers');
      const messages = sim.stats().records.filter((r) => r.route === '/v1/messages');
      note(`simulator saw: ${messages.map((r) => r.status).join(', ')}`);
      assert.ok(messages.filter((r) => r.status === 200).length >= 2);
    } finally {
      await dispose();
    }
  });

  test('a cancellation mid-stream ends the request exactly once', async () => {
    const { api, dispose } = await withSimulator(
      tightLimits(1000, { minOutputTokens: 80, maxOutputTokens: 80, tokensPerSecond: 20 }),
    );
    const finished: string[] = [];
    const subscription = api.service.onRequestFinished((r) => finished.push(r.model));
    try {
      assert.ok((await ourModels()).length > 0);
      const outcome = await (await consumer()).cancelMidStream('Tell me a long story.');
      note(`cancelled: ${JSON.stringify(outcome)}`);
      assert.ok(
        outcome.text.length > 0 && outcome.text.length < 80 * 4,
        'cancelled after some text, before the end',
      );
      assert.match(outcome.ending, /^cancelled$|cancel/i);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(finished.length, 1, 'the request ended once');
      const snapshot = api.service.scheduler.snapshot();
      assert.equal(snapshot.inFlight, 0);
    } finally {
      subscription.dispose();
      await dispose();
    }
  });
});
