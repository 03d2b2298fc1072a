import { formatCountdown } from '../../status/model/countdown';
import { ENGLISH, type Localize } from '../../status/model/localize';
import type { AgentEvent } from './agentTypes';

/**
 * One line for the run's latest progress event, as the run shows it inline: "Step 4 waits 0:12 for
 * input tokens per minute", "Step 2: read_file", "Step 3 is sending". Text deltas and finished
 * steps change nothing, so they give undefined.
 */
export function describeAgentEvent(
  event: AgentEvent,
  nowMs: number,
  t: Localize = ENGLISH,
): string | undefined {
  switch (event.type) {
    case 'step':
      return t('Step {0} is sending', event.step);
    case 'waiting':
      return event.wait.remainingMs === undefined
        ? t('Step {0} waits for {1}', event.step, event.wait.reason)
        : t(
            'Step {0} waits {1} for {2}',
            event.step,
            formatCountdown(nowMs + event.wait.remainingMs, nowMs),
            event.wait.reason,
          );
    case 'tool_call':
      return t('Step {0}: {1}', event.step, event.name);
    case 'tool_result':
      return event.isError ? t('Step {0}: {1} was refused or failed', event.step, event.name) : undefined;
    case 'compacted':
      return t('Step {0}: {1} old tool results compacted to fit the context', event.step, event.results);
    case 'text':
    case 'step_done':
      return undefined;
  }
}
