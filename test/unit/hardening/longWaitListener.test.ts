// Long-wait listeners that act on the event at once (cancel, switch model) must not break the
// watcher. Found by the soak (soak.test.ts defers its answers until this is fixed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flush } from '../pacer/scriptedTransport';
import { setup } from '../pacer/schedulerHarness';

void describe('long-wait listeners', () => {
  // Fixed bug (src/pacer/scheduling/longWaitWatcher.ts #check): the loop over requests with a deadline reads
  // `this.#estimates.byId` after each listener call, but a listener that cancels or switches a
  // request synchronously makes the scheduler call `invalidate()`, which sets `#estimates` to
  // undefined: the next iteration throws "Cannot read properties of undefined (reading 'byId')"
  // out of the clock's timer callback (an uncaught exception on the system clock), and the
  // remaining requests never got their long-wait event.
  void it('a listener may cancel the request it is told about: every long wait is still raised, nothing throws', async () => {
    const { clock, scheduler, submit } = setup({
      limits: { '*': { requests: 1, inputTokens: 1_000_000, outputTokens: 1_000_000 } },
    });
    submit('command', 10);
    const waiting = [
      submit('command', 10, { maxWaitMs: 1_000 }),
      submit('command', 10, { maxWaitMs: 1_000 }),
    ];
    const raised: string[] = [];
    scheduler.onLongWait((event) => {
      raised.push(event.requestId);
      waiting.find((h) => h.id === event.requestId)?.cancel();
    });
    await flush();

    assert.doesNotThrow(() => clock.advance(2_000));
    assert.deepEqual(raised.sort(), waiting.map((h) => h.id).sort());
    assert.deepEqual(
      (await Promise.all(waiting.map((h) => h.result))).map((r) => r.status),
      ['cancelled', 'cancelled'],
    );
  });
});
