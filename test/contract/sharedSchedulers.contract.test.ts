// Two schedulers (two windows) on one organization, each with its own connection to one real
// redis-server: together they send no more than the shared burst, where alone each would send its
// own. Real time (Redis keeps its own clock): the run takes well under a second.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisSharedBudget } from '../../src/coordination/redis/redisSharedBudget';
import {
  createSystemClock,
  Scheduler,
  type AttemptOutcome,
  type RequestHandle,
  type Transport,
} from '../../src/pacer/index';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { waitUntil } from '../support/waitUntil';

const ORG = 'org-shared-contract';
const BURST = 6;

/** Answers every request at once, naming the organization; records which window sent it. */
function recordingTransport(window: string, sent: string[]): Transport {
  return {
    send: (): Promise<AttemptOutcome> => {
      sent.push(window);
      return Promise.resolve({
        kind: 'success',
        text: 'ok',
        usage: { inputTokens: 10, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
        stopReason: 'end_turn',
        headers: new Headers({ 'anthropic-organization-id': ORG }),
      });
    },
  };
}

describe('two schedulers sharing one budget through Redis', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await server.stop();
  });

  it('send no more than the shared burst together, where each alone would send its own', async () => {
    const sent: string[] = [];
    const budgets = [0, 1].map(() => new RedisSharedBudget({ url: server.url }));
    await waitUntil(() => budgets.every((b) => b.health === 'up'), { what: 'both connections' });
    const windows = ['w1', 'w2'].map((id, i) => {
      const scheduler = new Scheduler({
        clock: createSystemClock(),
        random: () => 0.5,
        transport: recordingTransport(id, sent),
        options: { limits: { '*': { requests: BURST, inputTokens: 1_000_000, outputTokens: 1_000_000 } } },
        sharedBudget: budgets[i]!,
      });
      scheduler.setKeys([{ id, label: id, last4: id }]);
      scheduler.learnKeyOrganization(id, new Headers({ 'anthropic-organization-id': ORG }));
      return scheduler;
    });
    // Interleaved, as two people typing at once.
    const handles: RequestHandle[] = Array.from({ length: BURST }, () =>
      windows.map((scheduler) =>
        scheduler.submit({
          lane: 'interactive',
          inputTokens: 10,
          request: { model: 'claude-sonnet-4-6', maxTokens: 1, messages: [{ role: 'user', content: 'hi' }] },
        }),
      ),
    ).flat();
    try {
      await waitUntil(() => sent.length >= BURST, { what: 'the shared burst to go out' });
      // Everything else is held by the store's wait (one request per 10 s), not by local pacing.
      const held = (): number =>
        windows
          .map((w) => w.snapshot())
          .filter((snapshot) => snapshot.head?.waitingFor?.kind === 'shared_budget')
          .reduce((sum, snapshot) => sum + snapshot.queued.interactive, 0);
      await waitUntil(held, { what: 'the rest waiting on the store', isDone: (n) => n === BURST });
      assert.equal(sent.length, BURST, `sent ${sent.length}: ${sent.join(' ')}`);
      assert.ok(new Set(sent).size === 2, `both windows sent part of it: ${sent.join(' ')}`);
    } finally {
      for (const w of windows) w.dispose();
      for (const b of budgets) b.dispose();
    }
    const results = await Promise.all(handles.map((h) => h.result));
    assert.equal(results.filter((r) => r.status === 'completed').length, BURST);
    assert.ok(
      results.every((r) => r.status === 'completed' || r.status === 'failed'),
      'each ended once',
    );
  });
});
