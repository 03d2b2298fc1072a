import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adviseOnFailure } from '../../../src/status/model/failureAdvice';
import type { AttemptErrorKind } from '../../../src/pacer/transport';
import { setup } from './schedulerHarness';
import { failure, flush } from './scriptedTransport';

// Refusals that happen before or instead of the server answering: an endpoint the user did not
// approve, and a redirect. Both end the request at once, once, with the sentence as its reason.
const REFUSALS: readonly [AttemptErrorKind, string][] = [
  [
    'endpoint_not_approved',
    'You did not approve sending your API keys to proxy.example, so nothing was sent.',
  ],
  [
    'redirected',
    'The endpoint redirected the request (HTTP 307) to evil.example. Claude Pacer never follows redirects, so nothing was sent there.',
  ],
];

void describe('endpoint refusals in the scheduler', () => {
  for (const [kind, message] of REFUSALS) {
    void it(`${kind}: every waiting request fails once with the reason, after one attempt, the key untouched`, async () => {
      const { transport, submit, scheduler } = setup();
      const handles = [submit('interactive', 10), submit('command', 10), submit('background', 10)];
      await flush();
      for (let i = 0; i < handles.length; i++) {
        await flush();
        transport.nth(i).answer(failure({ kind, message, midStream: false }));
      }
      for (const handle of handles) {
        const result = await handle.result;
        assert.ok(result.status === 'failed', JSON.stringify(result));
        assert.equal(result.reason.kind, kind);
        assert.equal(result.attempts, 1);
        assert.equal(adviseOnFailure(result.reason).message, message);
      }
      assert.equal(transport.attempts.length, handles.length, 'no retry');
      assert.equal(scheduler.snapshot().keys[0]?.state, 'ok', 'the key is not blamed');
    });
  }
});
