import Bottleneck from 'bottleneck';
import type { Lane } from '../../src/pacer/index';
import type { Strategy } from '../types';
import { clientsFor, createMessage, estimateTokens, limitsFor, OrgRouter, perWindow } from './peerClients';

/** Bottleneck priorities: 0 is the most important, 5 the default. */
const PRIORITY: Record<Lane, number> = { interactive: 0, command: 5, background: 9 };

/** One Bottleneck per (organization, model): a token-weighted reservoir refreshed every window, minTime for RPM. */
export const bottleneck: Strategy = {
  name: 'bottleneck',
  needsLimits: true,
  describe:
    '`new Bottleneck({ reservoir: ITPM × W / 60, reservoirRefreshAmount: ITPM × W / 60, reservoirRefreshInterval: W × 1000, minTime: 60000 / RPM })` per (organization, model); `schedule({ priority, weight: ⌈chars / 4⌉ }, fn)` with interactive 0, command 5, background 9; SDK defaults inside; organizations and keys round-robin.',
  start(ctx) {
    const clients = clientsFor(ctx);
    const router = new OrgRouter(ctx.known, (model) => {
      const limits = limitsFor(ctx.known, model);
      const window = perWindow(limits, ctx.known.windowSec);
      return new Bottleneck({
        reservoir: window.inputTokensPerMinute,
        reservoirRefreshAmount: window.inputTokensPerMinute,
        reservoirRefreshInterval: ctx.known.windowSec * 1000,
        minTime: 60_000 / limits.requestsPerMinute,
      });
    });
    const stopAll = (): Promise<void[]> =>
      Promise.all(router.all().map((b) => b.stop({ dropWaitingJobs: true }).catch(() => undefined)));
    ctx.signal.addEventListener('abort', () => void stopAll(), { once: true });
    return {
      submit: async (job) => {
        const { key, limiter } = router.route(job.model);
        try {
          await limiter.schedule({ priority: PRIORITY[job.lane], weight: estimateTokens(job) }, () =>
            createMessage(clients.get(key)!, job, ctx.signal),
          );
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        await stopAll();
      },
    };
  },
};
