import type { Strategy } from '../types';
import { clientsFor, createMessage, roundRobin } from './peerClients';

/** Every request fired as it arrives through the SDK with its default retries. */
export const sdkDefaults: Strategy = {
  name: 'sdk-defaults',
  needsLimits: false,
  describe:
    '`new Anthropic({ apiKey, baseURL })` per key (maxRetries 2: backoff 0.5 s, 1 s with up to 25 % jitter, honouring `retry-after`), `messages.create` called the moment a request arrives; keys round-robin; no priorities.',
  start(ctx) {
    const clients = clientsFor(ctx);
    const nextKey = roundRobin([...clients.keys()]);
    return {
      submit: async (job) => {
        try {
          await createMessage(clients.get(nextKey())!, job, ctx.signal);
          return true;
        } catch {
          return false;
        }
      },
      close: () => Promise.resolve(),
    };
  },
};
