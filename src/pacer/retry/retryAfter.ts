/** Longest server-supplied wait we believe; anything longer is treated as garbage (spec: absurd values). */
export const MAX_BELIEVABLE_RETRY_AFTER_MS = 15 * 60_000;

/**
 * Parses `retry-after` (integer or float seconds, or an HTTP-date) into a wait in ms from `nowMs`.
 * Returns undefined for missing, malformed, negative, non-finite or absurd (> 15 min) values, and
 * for dates in the past, so callers fall back to the reset headers or backoff. Never NaN, never < 0.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text.length > 64) return undefined;
  let ms: number;
  if (/^[+]?\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else if (/^[A-Za-z]{3},/.test(text)) {
    const at = Date.parse(text);
    if (!Number.isFinite(at)) return undefined;
    ms = at - nowMs;
    if (ms < 0) return undefined;
  } else {
    return undefined;
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_BELIEVABLE_RETRY_AFTER_MS) return undefined;
  return Math.ceil(ms);
}
