import {
  type Attempt,
  type AttemptOutcome,
  createSystemClock,
  type MessageRequest,
  Scheduler,
  type SharedBudget,
  type Transport,
} from '../../src/pacer/index';
import {
  DEFAULT_SETTINGS,
  normalizeSettings,
  schedulerOptionsFrom,
  type PacerSettings,
} from '../../src/settings/model/settings';
import { createAnthropicTransport } from '../../src/anthropic/anthropicTransport';
import type { RunningStrategy, Strategy, StrategyContext } from '../types';

function statusOf(outcome: AttemptOutcome): number {
  return outcome.kind === 'success' ? 200 : (outcome.error.status ?? 0);
}

/** The extension's settings with the published limits typed in (or left to be learned when unknown). */
function settingsFor(ctx: StrategyContext, overrides: Partial<PacerSettings>): PacerSettings {
  const limits = Object.values(ctx.known.limitsByModel ?? {})[0];
  const typed: Partial<Record<keyof PacerSettings, unknown>> = {
    ...(limits
      ? {
          'limits.requestsPerMinute': limits.requestsPerMinute,
          'limits.inputTokensPerMinute': limits.inputTokensPerMinute,
          'limits.outputTokensPerMinute': limits.outputTokensPerMinute,
        }
      : {}),
    ...overrides,
  };
  return normalizeSettings((key) => (key in typed ? typed[key] : DEFAULT_SETTINGS[key]));
}

/**
 * Our scheduler and SDK transport as PacerService builds them, stopped at the run's deadline; each
 * attempt is recorded for the job `jobOf` names for its request, and handed to `onOutcome` when given.
 */
export function startOurScheduler(
  ctx: StrategyContext,
  overrides: Partial<PacerSettings>,
  jobOf: (request: MessageRequest) => number | undefined,
  onOutcome?: (attempt: Attempt, outcome: AttemptOutcome) => void,
  sharedBudget?: SharedBudget,
): { scheduler: Scheduler; stop: () => void } {
  const settings = settingsFor(ctx, overrides);
  const secrets = new Map(ctx.known.organizations.flat().map((secret, i) => [`key${i + 1}`, secret]));
  const transport = createAnthropicTransport({
    baseUrl: ctx.baseUrl,
    secretFor: (keyId) => secrets.get(keyId),
    timeoutMs: settings.requestTimeoutSeconds * 1000,
  });
  const recorded: Transport = {
    send: async (attempt) => {
      const jobId = jobOf(attempt.request);
      const end = jobId !== undefined ? ctx.attempts.begin(jobId) : undefined;
      const outcome = await transport.send(attempt);
      end?.(statusOf(outcome));
      onOutcome?.(attempt, outcome);
      return outcome;
    },
  };
  const scheduler = new Scheduler({
    clock: createSystemClock(),
    random: Math.random,
    transport: recorded,
    options: schedulerOptionsFrom(settings),
    ...(sharedBudget ? { sharedBudget } : {}),
  });
  scheduler.setKeys([...secrets.keys()].map((id) => ({ id, label: id, last4: secrets.get(id)!.slice(-4) })));
  const stop = (): void => {
    scheduler.dispose();
    transport.dispose();
  };
  ctx.signal.addEventListener('abort', stop, { once: true });
  return { scheduler, stop };
}

/**
 * Claude Pacer's scheduler wired as PacerService wires it: settings → schedulerOptionsFrom, the
 * real SDK transport (maxRetries 0, streaming), the system clock, Math.random, keys via setKeys.
 */
export const ours: Strategy = oursWith({});

/** Our scheduler with some settings changed (a diagnostic variant, named after the change), or leasing from `sharedBudget`. */
export function oursWith(
  overrides: Partial<PacerSettings>,
  name = 'ours',
  sharedBudget?: SharedBudget,
): Strategy {
  return {
    name,
    needsLimits: false,
    describe:
      'Claude Pacer `Scheduler` + `createAnthropicTransport` exactly as `PacerService` builds them: default settings (4 in flight, background budget 50 %, retry base 1 s, 5 attempts, 60 s header timeout) plus the published per-minute limits typed into `limits.*`; keys via `setKeys`, organizations learned from headers; chat = `interactive`, commands = `command`, background = `background`.' +
      (Object.keys(overrides).length > 0 ? ` Changed here: ${JSON.stringify(overrides)}.` : ''),
    start(ctx): RunningStrategy {
      // The scheduler hands the submitted request object to the transport: its identity names the job.
      const jobOf = new WeakMap<MessageRequest, number>();
      const { scheduler, stop } = startOurScheduler(
        ctx,
        overrides,
        (request) => jobOf.get(request),
        undefined,
        sharedBudget,
      );
      return {
        submit: async (job) => {
          const request: MessageRequest = {
            model: job.model,
            maxTokens: job.maxTokens,
            messages: [{ role: 'user', content: job.prompt }],
          };
          jobOf.set(request, job.id);
          const result = await scheduler.submit({ request, lane: job.lane, label: `job ${job.id}` }).result;
          return result.status === 'completed';
        },
        close: () => {
          stop();
          return Promise.resolve();
        },
      };
    },
  };
}
