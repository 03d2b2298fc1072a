import type { Dimension } from './dimensions';

/** Per-minute limits; undefined = not known yet (learned from headers). */
export type Limits = Readonly<Partial<Record<Dimension, number>>>;

/** What settings decide about a pool. */
export interface PoolSettings {
  /** Configured per-minute limits (may be empty): the starting point until headers say otherwise. */
  readonly limits: Limits;
  /** Share (0–0.9) of every limit left to other clients. */
  readonly headroomShare: number;
  /** Largest share (0–0.95) of a bucket's burst that a reserve for interactive work may hold back. */
  readonly maxReserveShare: number;
  /** Until the first response, send one request at a time (the burst the server keeps is unknown). */
  readonly probeFirst: boolean;
}

/** The rounding step of a dimension's `remaining` (1 request, 1,000 tokens): the noise of one reading. */
export function roundingStep(d: Dimension): number {
  return Math.max(1, 2 * ROUNDING_SLACK[d]);
}

/** How much slack header rounding hides: token counts come "rounded to the nearest thousand". */
export const ROUNDING_SLACK: Readonly<Record<Dimension, number>> = {
  requests: 0,
  inputTokens: 500,
  outputTokens: 500,
  tokens: 1000, // the sum of two rounded counts when no Workspace limit applies
};

/**
 * How far the likeliest level of a reading lies above its lower edge `reported`: a count rounded to
 * the nearest thousand (`slack` 500) is as likely above as below, but never below empty (the server
 * admitted the request), so `remaining: 0` means 0–500, most likely 250; a floored count (`slack`
 * 0) keeps its lower edge.
 */
export function likeliestAbove(reported: number, slack: number): number {
  return (Math.max(0, reported) + reported + 2 * slack) / 2 - reported;
}
