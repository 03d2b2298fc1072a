import type { ApiVersion } from './auth';

type Body = Readonly<Record<string, unknown>>;

/** Parameters removed in anthropic-version 2026-10-21. */
const removedIn2026 = ['temperature', 'top_p', 'top_k'] as const;

function checkMessages(body: Body): string | undefined {
  if (body.model === undefined) return 'model: Field required';
  if (typeof body.model !== 'string' || body.model === '') return 'model: Input should be a valid string';
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Input should be a valid list';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  for (const [i, m] of (body.messages as unknown[]).entries()) {
    if (typeof m !== 'object' || m === null) return `messages.${i}: Input should be a valid dictionary`;
    const { role, content } = m as Body;
    if (role !== 'user' && role !== 'assistant')
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof content !== 'string' && !Array.isArray(content))
      return `messages.${i}.content: Input should be a valid string or list`;
  }
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) {
    return 'system: Input should be a valid string or list';
  }
  return undefined;
}

/** The 400 message for an invalid Messages body, or undefined when it is acceptable. */
export function validateMessagesBody(body: Body, version: ApiVersion): string | undefined {
  const shared = checkMessages(body);
  if (shared !== undefined) return shared;
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens))
    return 'max_tokens: Input should be a valid integer';
  if (body.max_tokens < 1) return 'max_tokens: Input should be greater than or equal to 1';
  if (body.stream !== undefined && typeof body.stream !== 'boolean')
    return 'stream: Input should be a valid boolean';
  if (version === '2026-10-21') {
    const removed = removedIn2026.find((p) => body[p] !== undefined);
    if (removed)
      return `${removed}: Extra inputs are not permitted (removed in anthropic-version 2026-10-21)`;
  }
  return undefined;
}

/** The 400 message for an invalid count_tokens body, or undefined when it is acceptable. */
export function validateCountTokensBody(body: Body): string | undefined {
  return checkMessages(body);
}
