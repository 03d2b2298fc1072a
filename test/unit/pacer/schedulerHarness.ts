import { ManualClock } from '../../support/manualClock';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import type { SchedulerOptions } from '../../../src/pacer/scheduling/schedulerOptions';
import type { Lane, RequestHandle } from '../../../src/pacer/scheduling/schedulerTypes';
import type { KeyInfo } from '../../../src/pacer/keys/keyPool';
import type { MessageRequest } from '../../../src/pacer/transport';
import { ScriptedTransport } from './scriptedTransport';

/** A scheduler on a manual clock with a scripted transport and a deterministic random source. */
export function setup(options: Partial<SchedulerOptions> = {}, keys: KeyInfo[] = [key('k1')]) {
  const clock = new ManualClock();
  const transport = new ScriptedTransport();
  const scheduler = new Scheduler({
    clock,
    random: () => 0.5,
    transport,
    options: {
      limits: { '*': { requests: 60, inputTokens: 60_000, outputTokens: 60_000 } },
      maxInFlight: 10,
      // These tests script bursts against known limits; the first-contact probe has its own tests.
      probeFirst: false,
      ...options,
    },
  });
  scheduler.setKeys(keys);
  const submit = (
    lane: Lane,
    inputTokens: number,
    extra: {
      model?: string;
      maxTokens?: number;
      maxWaitMs?: number;
      signal?: AbortSignal;
      label?: string;
    } = {},
  ): RequestHandle =>
    scheduler.submit({
      request: request(extra.model ?? 'claude-sonnet-4-6', extra.maxTokens ?? 100),
      lane,
      inputTokens,
      ...(extra.maxWaitMs !== undefined ? { maxWaitMs: extra.maxWaitMs } : {}),
      ...(extra.signal ? { signal: extra.signal } : {}),
      label: extra.label ?? `${lane}-${inputTokens}`,
    });
  return { clock, transport, scheduler, submit, start: clock.now() };
}

/** A key with a recognisable last four. */
export function key(id: string): KeyInfo {
  return { id, label: `label ${id}`, last4: id.slice(-4).padStart(4, '0') };
}

/** A minimal request. */
export function request(model = 'claude-sonnet-4-6', maxTokens = 100): MessageRequest {
  return { model, maxTokens, messages: [{ role: 'user', content: 'hello' }] };
}
