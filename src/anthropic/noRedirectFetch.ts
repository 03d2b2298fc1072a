/**
 * Wraps `fetch` so no request ever follows a redirect: the 3xx response comes back as it is and is
 * classified as a final `redirected` failure. Following one would re-send the prompt (307/308) to a
 * host nobody chose, in clear text after an https → http hop.
 */
export function noRedirectFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => base(input, { ...init, redirect: 'manual' });
}

/** The host a redirect points to, for the user's sentence; relative or missing targets say so. */
export function redirectTargetOf(location: string | null | undefined): string {
  if (location === null || location === undefined || location.trim() === '') return 'an unnamed location';
  try {
    return new URL(location).host || 'an unnamed location';
  } catch {
    return 'another path on the same host';
  }
}
