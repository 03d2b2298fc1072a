const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * True when a base URL may receive API keys: `https:` to any host, or plain `http:` only to a
 * loopback host (127.0.0.0/8, `localhost`, `[::1]`). Unparsable URLs and other schemes are unsafe.
 */
export function isBaseUrlSafeForKeys(baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  // WHATWG URL parsing already normalises the host (case, IPv4 shorthand like 2130706433, IPv6 zero runs).
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || LOOPBACK_IPV4.test(host);
}
