import PQueue from 'p-queue';
import type { Lane } from '../../src/pacer/index';
import type { Strategy } from '../types';
import { clientsFor, createMessage, limitsFor, OrgRouter, perWindow } from './peerClients';

/** p-queue priorities: greater runs first. */
const PRIORITY: Record<Lane, number> = { interactive: 2, command: 1, background: 0 };

/** One p-queue per (organization, model) with intervalCap/interval set to the request limit. */
export const pQueue: Strategy = {
  name: 'p-queue',
  needsLimits: true,
  describe:
    '`new PQueue({ intervalCap: RPM × W / 60, interval: W × 1000, strict: true })` per (organization, model): the requests-per-minute limit over the server\'s window W ("one minute", scaled), sliding window as its readme advises for APIs that enforce strict limits; default concurrency (Infinity); `add(fn, { priority })` with interactive 2, command 1, background 0; SDK defaults inside; organizations and keys round-robin.',
  start(ctx) {
    const clients = clientsFor(ctx);
    const router = new OrgRouter(ctx.known, (model) => {
      const window = perWindow(limitsFor(ctx.known, model), ctx.known.windowSec);
      return new PQueue({
        intervalCap: window.requestsPerMinute,
        interval: ctx.known.windowSec * 1000,
        strict: true,
      });
    });
    ctx.signal.addEventListener('abort', () => router.all().forEach((q) => q.clear()), { once: true });
    return {
      submit: async (job) => {
        const { key, limiter } = router.route(job.model);
        try {
          await limiter.add(() => createMessage(clients.get(key)!, job, ctx.signal), {
            priority: PRIORITY[job.lane],
            signal: ctx.signal,
          });
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        for (const q of router.all()) q.clear();
        await Promise.all(router.all().map((q) => q.onIdle()));
      },
    };
  },
};
