import { createHash } from 'node:crypto';
import { rateLimitResponse } from './errors';
import type { Exchange } from './exchange';
import { sendTerminalFault, terminalFaultKinds } from './faultResponses';
import { jsonReply, streamReply } from './generation';
import { rateLimitHeaders } from './headers';
import type { Intake } from './intake';
import { resolveModelClass } from './modelClasses';
import type { CachePlan } from './promptCache';
import type { AnyLimiter, LimitTarget } from './rateLimiter';
import { planReply } from './replies';
import { readReplyRequest } from './replyRequest';
import { planScriptedReply, scriptedStep } from './scriptReply';
import type { SimState } from './state';
import { promptBlocks } from './tokens';
import { forcedTool, planToolReply, validateTools } from './toolReply';
import { validateMessagesBody } from './validation';

function reportedHeaders(
  state: SimState,
  target: LimitTarget,
  failing?: AnyLimiter,
): ReturnType<typeof rateLimitHeaders> {
  const nowMs = state.clock.now();
  const { limiter } = state;
  const tokens = limiter.reportedTokens(target, nowMs);
  const buckets = {
    requests: limiter.reported(target, 'requests', nowMs),
    input: limiter.reported(target, 'input', nowMs),
    output: limiter.reported(target, 'output', nowMs),
    ...(tokens ? { tokens } : {}),
  };
  return rateLimitHeaders(buckets, nowMs, failing);
}

/** POST /v1/messages after the shared intake: validation, faults, rate limiting, then the reply. */
export async function handleMessages(
  state: SimState,
  ex: Exchange,
  intake: Intake,
  requestNumber: number,
): Promise<void> {
  const { body, principal, credentials } = intake;
  const { config, clock, limiter, stats } = state;
  ex.record.orgId = principal.org.id;
  // Once the model is known, even a 400 reports the buckets the request would have drawn on.
  if (typeof body.model === 'string' && body.model !== '') {
    const cls = resolveModelClass(config, body.model);
    ex.setRateLimitHeaders(() =>
      reportedHeaders(state, { org: principal.org, workspace: principal.workspace, cls }),
    );
  }
  const invalid = validateMessagesBody(body, intake.version) ?? validateTools(body);
  if (invalid !== undefined) return ex.sendError(400, { type: 'invalid_request_error', message: invalid });

  const model = body.model as string;
  const maxTokens = body.max_tokens as number;
  const isStream = body.stream === true;
  const target: LimitTarget = {
    org: principal.org,
    workspace: principal.workspace,
    cls: resolveModelClass(config, model),
  };
  Object.assign(ex.record, { model, modelClass: target.cls.id, isStream });

  const keyRequestNumber = (state.keyRequestCounts.get(principal.key) ?? 0) + 1;
  state.keyRequestCounts.set(principal.key, keyRequestNumber);
  const blocks = promptBlocks(body, config.cacheTtlSec);
  const planAt = (nowMs: number): CachePlan =>
    state.cache.plan(principal.org.id, model, blocks, config.tokenizer, nowMs);
  let plan = planAt(clock.now());

  const fault = state.faults.select({
    requestNumber,
    key: principal.key,
    keyRequestNumber,
    isStream,
    bodyBytes: intake.rawBody.length,
    inputTokens: plan.totalTokens,
  });
  if (fault) stats.fault(ex.record, fault.kind);
  if (fault && terminalFaultKinds.has(fault.kind)) {
    return sendTerminalFault(state, ex, fault, {
      credentials,
      orgId: principal.org.id,
      model,
      inputTokens: plan.totalTokens,
    });
  }
  if (fault?.kind === 'missing_rate_limit_headers') ex.setHeaderFault('missing');
  if (fault?.kind === 'garbage_rate_limit_headers') ex.setHeaderFault('garbage');
  if (fault?.kind === 'delay_headers') {
    if (!(await ex.delay(fault.delayMs))) return ex.finish('client_closed');
    plan = planAt(clock.now());
  }

  const { usage } = plan;
  const inputCost =
    usage.inputTokens +
    usage.cacheCreationInputTokens +
    (target.cls.countsCacheReads ? usage.cacheReadInputTokens : 0);
  const reservedOutput = config.otpmRegime === 'legacy' ? maxTokens : 0;
  const nowMs = clock.now();
  const rejection = limiter.check(target, { input: inputCost, output: reservedOutput }, nowMs);
  if (rejection) {
    stats.rateLimited(ex.record, rejection.limiter);
    ex.setRateLimitHeaders(() => reportedHeaders(state, target, rejection.limiter));
    const { error, headers } = rateLimitResponse(config.realism, rejection, model);
    return ex.sendError(429, error, headers);
  }

  plan.commit(nowMs);
  limiter.debit(target, 'requests', 1, nowMs);
  limiter.debit(target, 'input', inputCost, nowMs);
  if (reservedOutput > 0) limiter.debit(target, 'output', reservedOutput, nowMs);
  stats.debit(principal.org.id, target.cls.id, 'requests', 1);
  stats.debit(principal.org.id, target.cls.id, 'inputTokens', inputCost);
  stats.debit(principal.org.id, target.cls.id, 'outputTokens', reservedOutput);
  Object.assign(ex.record, {
    inputTokens: usage.inputTokens,
    cacheCreationInputTokens: usage.cacheCreationInputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
  });

  const bodyHash = createHash('sha256').update(intake.rawBody).digest('hex');
  const tool = forcedTool(body);
  const step = tool === undefined ? scriptedStep(config.scripts, body) : undefined;
  const reply =
    tool !== undefined
      ? planToolReply(state.newId('toolu'), tool, maxTokens)
      : step !== undefined
        ? planScriptedReply(step, () => state.newId('toolu'), maxTokens)
        : planReply(config.seed, bodyHash, config.reply, maxTokens, readReplyRequest(body));
  const job = { state, ex, target, model, usage, reply, fault, reservedOutput };
  if (isStream) streamReply(job);
  else jsonReply(job);
}
