// Random interleavings of submit / cancel / simulator faults / key add and remove / time advance /
// waiting for the wire, through the real SDK transport and the simulator (the scripted-transport
// version is in test/unit/pacer/schedulerProperties.test.ts). Whatever happens, every request
// ends exactly once, with the ending its attempt history calls for, and is never sent again after
// it ended or after it delivered output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Lane } from '../../../src/pacer/scheduling/schedulerTypes';
import type { Fault } from '../../../sim/simulator';
import type { RigKey } from '../../contract/schedulerRig';
import { checkLoad } from './checkLoad';
import {
  A1,
  A2,
  ALL_KEYS,
  B1,
  cancelRequest,
  LARGE_INPUT_TOKENS,
  loadRequest,
  loadRunOf,
  SMALL_INPUT_TOKENS,
  startLoadRig,
  submitRequest,
  type CancelStage,
  type LoadRequest,
} from './loadRun';

/** Faults a step may switch on (each at 40%); key-bound ones name the key they hit. */
const FAULTS: readonly Fault[] = [
  { kind: 'overloaded' },
  { kind: 'api_error' },
  { kind: 'connection_reset' },
  { kind: 'stream_error', afterDeltas: 0, errorType: 'overloaded_error' },
  { kind: 'stream_error', afterDeltas: 2, errorType: 'rate_limit_error' },
  { kind: 'stream_close', afterDeltas: 2 },
  { kind: 'malformed_sse', afterDeltas: 1 },
  { kind: 'ramp_limit', retryAfterSec: 2 },
  { kind: 'absurd_retry_after', variant: 'huge' },
  { kind: 'prompt_too_long', maxTokens: 1_000 },
  { kind: 'garbage_rate_limit_headers' },
  { kind: 'spend_limit', regainOn: '2026-12-01', key: A2.secret },
  { kind: 'key_revoked', afterRequests: 0, key: A1.secret },
  { kind: 'permission_error', key: B1.secret },
];
const KEY_SETS: readonly (readonly RigKey[])[] = [ALL_KEYS, [A1], [A1, A2], [B1], [A2, B1], []];

const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      lane: fc.constantFrom<Lane>('interactive', 'command', 'background'),
      isLarge: fc.boolean(),
      cancelAt: fc.constantFrom<CancelStage | undefined>(
        undefined,
        undefined,
        undefined,
        'queued',
        'streaming',
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('faults' as const),
      faults: fc.subarray([...FAULTS], { maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('keys' as const), keys: fc.constantFrom(...KEY_SETS) }),
  },
);

void describe('interleavings through the real transport and the simulator', () => {
  void it('never lose, duplicate or re-send a request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 60 }), async (ops) => {
        const rig = await startLoadRig({ faults: [] });
        try {
          const requests: LoadRequest[] = [];
          for (const o of ops) {
            switch (o.kind) {
              case 'submit': {
                const r: LoadRequest = {
                  ...loadRequest(requests.length, false),
                  lane: o.lane,
                  inputTokens: o.isLarge ? LARGE_INPUT_TOKENS : SMALL_INPUT_TOKENS,
                  ...(o.cancelAt !== undefined && { cancelAt: o.cancelAt }),
                };
                requests.push(r);
                submitRequest(rig, r);
                break;
              }
              case 'cancel':
                if (requests.length > 0) cancelRequest(requests[o.pick % requests.length]!);
                break;
              case 'advance':
                rig.clock.advance(o.ms);
                break;
              case 'settle':
                await rig.settle();
                break;
              case 'faults':
                rig.sim.setFaults(o.faults.map((f) => ({ ...f, probability: 0.4 })));
                break;
              case 'keys':
                rig.scheduler.setKeys(
                  o.keys.map((k) => ({ id: k.id, label: k.id, last4: k.secret.slice(-4) })),
                );
                break;
            }
            await new Promise((resolve) => setImmediate(resolve));
          }
          // Drain: faults off, every key back and released (the user's "test key"), blocks lifted;
          // the clock runs until all ended. a1 may stay revoked on the server: a2 and b1 serve.
          rig.sim.setFaults([]);
          rig.scheduler.setKeys(ALL_KEYS.map((k) => ({ id: k.id, label: k.id, last4: k.secret.slice(-4) })));
          for (const k of ALL_KEYS) rig.scheduler.releaseKey(k.id);
          rig.scheduler.retryNow();
          await new Promise((resolve) => setImmediate(resolve));
          const openAtDrain = requests.filter((r) => r.handle?.progress().state !== 'done');
          await rig.runUntil(() => requests.every((r) => r.result !== undefined), 24 * 3_600_000);
          for (const r of openAtDrain) {
            const ending = r.result?.status === 'failed' ? r.result.reason.kind : r.result?.status;
            assert.ok(
              !['no_keys', 'key_rejected', 'spend_limit'].includes(ending ?? ''),
              `request ${r.index} still open when keys were back ended ${ending}`,
            );
          }

          const problems = checkLoad(loadRunOf(rig, requests), {
            isBUnaffected: false,
            noPlanEndings: ['no_keys', 'key_rejected', 'spend_limit'],
          });
          assert.deepEqual(problems, []);
        } finally {
          await rig.close();
        }
      }),
      { numRuns: Number(process.env['IL_RUNS'] ?? 40) },
    );
  });
});
