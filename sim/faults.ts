import type { Fault } from './faultSpec';
import { mulberry32, seedFrom, type Prng } from './random';

/** What the fault selector knows about a request to POST /v1/messages. */
export interface FaultContext {
  /** 1-based number among all requests to POST /v1/messages. */
  readonly requestNumber: number;
  readonly key: string;
  /** 1-based number among this key's requests to POST /v1/messages. */
  readonly keyRequestNumber: number;
  readonly isStream: boolean;
  readonly bodyBytes: number;
  /** Total input tokens (input + cache creation + cache read). */
  readonly inputTokens: number;
}

/** Fault kinds that only make sense on a streamed response. */
const streamKinds: ReadonlySet<string> = new Set(['stream_error', 'stream_close', 'malformed_sse']);

function applies(fault: Fault, ctx: FaultContext): boolean {
  if (fault.onRequest && !fault.onRequest.includes(ctx.requestNumber)) return false;
  if (fault.key !== undefined && fault.key !== ctx.key) return false;
  switch (fault.kind) {
    case 'key_revoked':
      return ctx.keyRequestNumber > fault.afterRequests;
    case 'request_too_large':
      return ctx.bodyBytes > fault.overBytes;
    case 'prompt_too_long':
      return ctx.inputTokens > fault.maxTokens;
    case 'malformed_json':
      return !ctx.isStream;
    default:
      return !streamKinds.has(fault.kind) || ctx.isStream;
  }
}

/** The scripted faults and how often each has fired; picks at most one fault per request. */
export class FaultBook {
  #entries: { readonly fault: Fault; fired: number }[] = [];
  readonly #random: Prng;

  constructor(faults: readonly Fault[], seed: number) {
    this.#random = mulberry32(seedFrom(seed, 'faults'));
    this.replace(faults);
  }

  /** Replaces every fault (their fire counts start again at zero). */
  replace(faults: readonly Fault[]): void {
    this.#entries = faults.map((fault) => ({ fault, fired: 0 }));
  }

  /** Appends one fault. */
  add(fault: Fault): void {
    this.#entries.push({ fault, fired: 0 });
  }

  /** The first fault, in list order, whose trigger holds; it counts as fired. Probabilities roll only for otherwise eligible faults. */
  select(ctx: FaultContext): Fault | undefined {
    for (const entry of this.#entries) {
      const { fault } = entry;
      if (fault.times !== undefined && entry.fired >= fault.times) continue;
      if (!applies(fault, ctx)) continue;
      if (fault.probability !== undefined && this.#random() >= fault.probability) continue;
      entry.fired++;
      return fault;
    }
    return undefined;
  }
}
