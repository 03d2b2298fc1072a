import { rateLimitResponse } from './errors';
import type { Exchange } from './exchange';
import { requestsOnlyHeaders } from './headers';
import type { Intake } from './intake';
import { EPSILON } from './buckets';
import type { SimState } from './state';
import { blockTokens, promptBlocks } from './tokens';
import { validateTools } from './toolReply';
import { validateCountTokensBody } from './validation';

/** POST /v1/messages/count_tokens: its own requests-per-minute pool per organization, no caching, `{"input_tokens":N}`. */
export function handleCountTokens(state: SimState, ex: Exchange, intake: Intake): void {
  const { body, principal } = intake;
  const nowMs = state.clock.now();
  const bucket = state.limiter.countTokensBucket(principal.org, nowMs);
  ex.record.orgId = principal.org.id;
  ex.setRateLimitHeaders(() => requestsOnlyHeaders(bucket, state.clock.now(), false));
  const invalid = validateCountTokensBody(body) ?? validateTools(body);
  if (invalid !== undefined) return ex.sendError(400, { type: 'invalid_request_error', message: invalid });

  const model = body.model as string;
  ex.record.model = model;
  const level = bucket.levelAt(nowMs);
  if (level + EPSILON < 1) {
    state.stats.rateLimited(ex.record, 'count_tokens');
    ex.setRateLimitHeaders(() => requestsOnlyHeaders(bucket, state.clock.now(), true));
    const retryAfterSec = Math.max(1, Math.ceil((1 - level) / bucket.ratePerSec - EPSILON));
    const rejection = {
      limiter: 'requests',
      limit: bucket.limit,
      scope: 'organization',
      scopeId: principal.org.id,
      retryAfterSec,
    } as const;
    const { error, headers } = rateLimitResponse(state.config.realism, rejection, model);
    return ex.sendError(429, error, headers);
  }
  bucket.debit(1, nowMs);
  // count_tokens ignores cache_control: everything counts as input.
  const inputTokens = blockTokens(promptBlocks(body, state.config.cacheTtlSec), state.config.tokenizer);
  ex.record.inputTokens = inputTokens;
  ex.sendJson(200, JSON.stringify({ input_tokens: inputTokens }));
}
