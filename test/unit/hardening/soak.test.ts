// Soak: 5,000 requests in five phases of 1,000 through the real Scheduler on a manual clock, with
// the in-memory ChaosServer (random latency, 429s from real buckets, 529, 500, resets, mid-stream
// failures, 400s, a rejected key re-added each phase), key changes, cancellations, long waits and
// fallbacks. Every request must end exactly once; the heap must not grow from phase to phase.
// In-memory, not HTTP: 5,000 requests through the SDK and the simulator take ~10 s here, the
// matrix (faultMatrix.test.ts) covers that path.
import assert from 'node:assert/strict';
import { getEventListeners, setMaxListeners } from 'node:events';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { adviseOnFailure } from '../../../src/status/model/failureAdvice';
import type { KeyInfo } from '../../../src/pacer/keys/keyPool';
import { ManualClock } from '../../support/manualClock';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import type { Lane, RequestResult } from '../../../src/pacer/scheduling/schedulerTypes';
import type { Transport } from '../../../src/pacer/transport';
import { ChaosServer, seededRandom } from './chaosServer';
import { drainTimers, flush } from '../../support/submitAndDrain';

const PHASES = Number(process.env['SOAK_PHASES'] ?? 5);
const PER_PHASE = 1_000;
const MODELS = ['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-7'] as const;
const LANES: readonly Lane[] = ['interactive', 'command', 'background'];
const MB = 1024 * 1024;

/** A full collection, when V8 lets us ask for one (the flag can be set at run time). */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function heapUsedMb(gc: (() => void) | undefined): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / MB;
}

function keyInfo(id: string): KeyInfo {
  return { id, label: id, last4: id.slice(-4).padStart(4, '0') };
}

void describe('soak', () => {
  void it('5,000 requests with random faults on the fake clock: every one ends exactly once, memory stays flat', async () => {
    const gc = collector();
    const clock = new ManualClock();
    const random = seededRandom(2026);
    let badKey = 'bad-0';
    const organizationOf = (keyId: string): string | undefined =>
      keyId === 'k3' ? 'org-2' : keyId === badKey ? undefined : 'org-1';
    const server = new ChaosServer(clock, seededRandom(7), organizationOf);

    const total = PHASES * PER_PHASE;
    // Fixed-size bookkeeping, so the test itself does not grow with the number of requests.
    const endings = new Uint8Array(total + 1);
    const hadOutput = new Uint8Array(total + 1);
    const violations: string[] = [];
    const seqOf = (requestId: string): number => Number(requestId.slice(1));
    const transport: Transport = {
      send: (attempt) => {
        const seq = seqOf(attempt.requestId);
        if (endings[seq]! > 0) violations.push(`${attempt.requestId} sent after it ended`);
        if (hadOutput[seq]) violations.push(`${attempt.requestId} sent again after output`);
        return server.send({
          ...attempt,
          onText: (delta) => {
            hadOutput[seq] = 1;
            attempt.onText(delta);
          },
        });
      },
    };
    const scheduler = new Scheduler({
      clock,
      random: seededRandom(1),
      transport,
      options: {
        maxInFlight: 8,
        backoff: { baseDelayMs: 500, maxDelayMs: 10_000, maxAttempts: 4 },
        fallbackModel: 'claude-haiku-4-5',
        fallbackAfterOverloads: 3,
      },
    });
    // One caller signal shared by every request (never aborted): each must detach its listener.
    const shared = new AbortController();
    setMaxListeners(0, shared.signal);
    const counts: Record<string, number> = {};
    let longWaits = 0;
    const handles = new Map<string, { keepWaiting(): void; switchModel(model: string): void }>();
    scheduler.onLongWait((event) => {
      longWaits++;
      const handle = handles.get(event.requestId);
      // Answered synchronously, inside the event: the watcher must cope (see longWaitListener.test.ts).
      if (longWaits % 2 === 0) handle?.keepWaiting();
      else handle?.switchModel('claude-haiku-4-5');
    });

    const heap: number[] = [];
    const pools: number[] = [];
    const startedAt = performance.now();
    let submitted = 0;
    for (let phase = 0; phase < PHASES; phase++) {
      badKey = `bad-${phase}`;
      scheduler.setKeys(['k1', 'k2', 'k3', badKey].map(keyInfo));
      let open = 0;
      for (let i = 0; i < PER_PHASE; i++) {
        const seq = ++submitted;
        const cancelAfterMs = random() < 0.05 ? Math.floor(random() * 20_000) : undefined;
        const lane = LANES[Math.floor(random() * LANES.length)]!;
        const model = MODELS[Math.floor(random() * MODELS.length)]!;
        const hasDeadline = random() < 0.1;
        clock.setTimer(
          () => {
            let streamed = '';
            const handle = scheduler.submit({
              request: { model, maxTokens: 16, messages: [{ role: 'user', content: `soak ${seq}` }] },
              lane,
              signal: shared.signal,
              onText: (delta) => (streamed += delta),
              ...(hasDeadline && { maxWaitMs: 5_000 }),
            });
            assert.equal(seqOf(handle.id), seq);
            open++;
            if (hasDeadline) handles.set(handle.id, handle);
            if (cancelAfterMs !== undefined) clock.setTimer(() => handle.cancel(), cancelAfterMs);
            void handle.result.then((result: RequestResult) => {
              open--;
              handles.delete(handle.id);
              if (endings[seq]! > 0) violations.push(`${handle.id} ended twice`);
              endings[seq] = 1;
              const ending = result.status === 'failed' ? result.reason.kind : result.status;
              counts[ending] = (counts[ending] ?? 0) + 1;
              if (result.status === 'completed' && (result.text === '' || result.text !== streamed))
                violations.push(`${handle.id} completed with text other than what was streamed`);
              if (result.status === 'failed' && adviseOnFailure(result.reason).message === '')
                violations.push(`${handle.id} failed without a message`);
              if (result.status !== 'completed' && result.partialText !== streamed)
                violations.push(`${handle.id} partial text differs from what was streamed`);
            });
          },
          Math.floor(i / 10) * 1_000,
        );
      }
      // Halfway through, a key is removed and added back while its requests are in flight.
      clock.setTimer(() => scheduler.setKeys(['k1', 'k3', badKey].map(keyInfo)), 40_000);
      clock.setTimer(() => scheduler.setKeys(['k1', 'k2', 'k3', badKey].map(keyInfo)), 45_000);
      await flush(1);
      await drainTimers(clock, { flushTurns: 1 });
      assert.equal(open, 0, `phase ${phase + 1}: ${open} requests never ended`);
      const snapshot = scheduler.snapshot();
      assert.equal(snapshot.inFlight, 0);
      assert.deepEqual(snapshot.queued, { interactive: 0, command: 0, background: 0 });
      pools.push(snapshot.pools.length);
      heap.push(heapUsedMb(gc));
    }
    const elapsedMs = performance.now() - startedAt;

    assert.deepEqual(violations, []);
    assert.equal(endings.slice(1).filter((e) => e === 1).length, total, 'every request ended');
    assert.equal(
      getEventListeners(shared.signal, 'abort').length,
      0,
      'no abort listener left on the caller’s signal',
    );
    assert.ok((counts.completed ?? 0) > total * 0.8, JSON.stringify(counts));
    assert.ok(
      server.stats.rateLimited > 0 && Object.keys(server.stats.faults).length >= 6,
      JSON.stringify(server.stats),
    );
    assert.ok(longWaits > 0, 'some long waits were raised and answered');
    // Pools stay per (organization, class): 2 organizations and the rejected key's provisional one
    // (a 401 names no organization), 3 classes each; the rejected keys of earlier phases are gone.
    assert.ok(
      pools.every((n) => n <= 3 * 3),
      `pools per phase ${pools.join(', ')}`,
    );
    const growthMb = heap.at(-1)! - heap[0]!;
    const report = {
      requests: total,
      attempts: server.stats.attempts,
      endings: counts,
      faults: server.stats.faults,
      rateLimited: server.stats.rateLimited,
      longWaits,
      simulatedMinutes: Math.round((clock.now() - Date.UTC(2026, 0, 1)) / 60_000),
      heapMbAfterEachPhase: heap.map((h) => Number(h.toFixed(2))),
      growthMbPhase1To5: Number(growthMb.toFixed(2)),
      gc: gc !== undefined,
      elapsedMs: Math.round(elapsedMs),
    };
    if (process.env['HARDENING_TABLE']) console.log(JSON.stringify(report));
    // With a real collection between phases the figure is exact; without one, allow for garbage.
    assert.ok(growthMb < (gc ? 2 : 16), `heap grew ${growthMb.toFixed(2)} MB: ${JSON.stringify(report)}`);

    scheduler.dispose();
    assert.equal(clock.pendingTimers, 0, 'nothing scheduled after dispose');
  });
});
