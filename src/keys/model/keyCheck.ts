import type { CountTokensOutcome } from '../../pacer/index';

/** What checking a key with a count_tokens call showed. */
export type KeyCheckVerdict =
  /** The server accepted the key; its organization when the answer named one. */
  | { readonly kind: 'works'; readonly organizationId?: string }
  /** The server answered and refused the key (401, 403). */
  | { readonly kind: 'rejected'; readonly detail: string }
  /** No verdict on the key: the server could not be reached, timed out or failed, or nothing was sent. */
  | { readonly kind: 'unchecked'; readonly reason: string };

/** The cause inside "Could not reach the API (getaddrinfo ENOTFOUND host)." style messages, else the message without its final period. */
function shortReason(message: string): string {
  const cause = /\(([^()]+)\)\.?$/.exec(message)?.[1];
  return cause ?? message.replace(/\.$/, '');
}

/**
 * Reads a count_tokens outcome as a verdict on the key. Only the server refusing the key (401, 403)
 * is "rejected"; a network failure (DNS, refused, reset, timeout), a rate limit or a server error
 * says nothing about the key and is "unchecked" with its reason.
 */
export function keyCheckVerdict(outcome: CountTokensOutcome): KeyCheckVerdict {
  if (outcome.kind === 'success') {
    const organizationId = outcome.headers.get('anthropic-organization-id');
    return organizationId ? { kind: 'works', organizationId } : { kind: 'works' };
  }
  const { error } = outcome;
  if (error.kind === 'auth' || error.kind === 'permission')
    return { kind: 'rejected', detail: `${error.status ?? ''} ${error.message}`.trim() };
  if (error.kind === 'timeout') return { kind: 'unchecked', reason: 'timed out' };
  if (error.kind === 'connection') return { kind: 'unchecked', reason: shortReason(error.message) };
  const status = error.status !== undefined ? `${error.status} ` : '';
  return { kind: 'unchecked', reason: `${status}${shortReason(error.message)}`.trim() };
}
