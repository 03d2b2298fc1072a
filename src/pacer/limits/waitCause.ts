import type { Dimension } from './dimensions';

/** The limit a 429 named when it cooled a pool down: a dimension, an acceleration (ramp) limit, or none. */
export type CooledLimit = Dimension | 'acceleration' | 'unnamed';

/**
 * What a queued request waits for. A closed set of codes: the engine says nothing in a language,
 * the models word each (src/status/model/waitCauseText.ts) through their `Localize`.
 */
export type WaitCause =
  /** Nothing in particular: the next free place to send. */
  | { readonly kind: 'free_slot' }
  /** A bucket of this dimension to refill. */
  | { readonly kind: 'limit'; readonly dimension: Dimension }
  /** The pool's cool-down after a 429 on `limit`. */
  | { readonly kind: 'cool_down'; readonly limit: CooledLimit }
  /** The slower ramp-up (fewer in flight) after an acceleration limit. */
  | { readonly kind: 'ramp' }
  /** The pool's first response, which tells its limits. */
  | { readonly kind: 'first_response' }
  /** A retry after a transient error (overload, network). */
  | { readonly kind: 'transient_retry' }
  /** Requests ahead of it in the same pool. */
  | { readonly kind: 'queued_ahead' }
  /** The budget shared with other windows or teammates (a lease the shared store said to wait for). */
  | { readonly kind: 'shared_budget' };

/** A short code for logs ("limit:inputTokens", "cool_down:requests"), not for the user. */
export function waitCauseCode(cause: WaitCause): string {
  switch (cause.kind) {
    case 'limit':
      return `limit:${cause.dimension}`;
    case 'cool_down':
      return `cool_down:${cause.limit}`;
    default:
      return cause.kind;
  }
}
