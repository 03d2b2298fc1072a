import {
  createSystemClock,
  ExactTokenCounter,
  type CountTokensOutcome,
  type CountTokensRequest,
  type KeyInfo,
  type MessageRequest,
  type Scheduler,
} from '../pacer/index';

/** The count_tokens request that counts `request` as sent with `keyId`: its model, messages, system prompt and tools. */
export function countTokensRequestFor(keyId: string, request: MessageRequest): CountTokensRequest {
  return {
    keyId,
    model: request.model,
    messages: request.messages,
    ...(request.system !== undefined ? { system: request.system } : {}),
    ...(request.tools !== undefined ? { tools: request.tools } : {}),
    ...(request.toolChoice !== undefined ? { toolChoice: request.toolChoice } : {}),
  };
}

/** What {@link exactCounterFor} needs of the service. */
interface CountingService {
  readonly scheduler: Pick<Scheduler, 'snapshot'>;
  readonly activeKeys: readonly KeyInfo[];
  countTokens(request: CountTokensRequest): Promise<CountTokensOutcome>;
}

/** A counter that asks count_tokens (paced on its own limit) with the first usable key before each request. */
export function exactCounterFor(service: CountingService): ExactTokenCounter {
  return new ExactTokenCounter(async (request) => {
    const keyId =
      service.scheduler.snapshot().keys.find((k) => k.state === 'ok')?.id ?? service.activeKeys[0]?.id;
    if (!keyId) return {};
    const outcome = await service.countTokens(countTokensRequestFor(keyId, request));
    return outcome.kind === 'success'
      ? { inputTokens: outcome.inputTokens, headers: outcome.headers }
      : { ...(outcome.headers ? { headers: outcome.headers } : {}) };
  }, createSystemClock());
}
