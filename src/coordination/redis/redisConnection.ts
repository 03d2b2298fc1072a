import { isIP } from 'node:net';

/** Where and how ioredis connects: built field by field, so nothing in the URL sets another option. */
export interface RedisConnection {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  /** An ACL user name from the URL (not a secret). */
  readonly username?: string;
  /** From SecretStorage, never from the URL. */
  readonly password?: string;
  /** `rediss://`: TLS, with the host name for SNI and certificate checks (Node's defaults verify the certificate). */
  readonly tls?: { readonly servername?: string };
}

/** Why a Redis URL is not used. */
export type RedisUrlRefusal = 'unreadable' | 'scheme' | 'host' | 'password' | 'query' | 'database';

/** The connection, or why the URL cannot be used. */
export type RedisConnectionResult =
  | { readonly ok: true; readonly connection: RedisConnection }
  | { readonly ok: false; readonly refusal: RedisUrlRefusal };

const DEFAULT_PORT = 6379;

/**
 * Builds the connection from the `coordination.redisUrl` setting and the password kept in
 * SecretStorage ('' for none). A URL that carries a password is refused, not trimmed: the password
 * is then already in settings.json (and maybe Settings Sync), and using it would make that work.
 * A query string is refused too, because ioredis would read any option from it.
 */
export function redisConnectionOf(url: string, password: string): RedisConnectionResult {
  if (!URL.canParse(url)) return { ok: false, refusal: 'unreadable' };
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return { ok: false, refusal: 'scheme' };
  if (parsed.hostname === '') return { ok: false, refusal: 'host' };
  if (parsed.password !== '') return { ok: false, refusal: 'password' };
  if (parsed.search !== '' || parsed.hash !== '') return { ok: false, refusal: 'query' };
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) return { ok: false, refusal: 'database' };
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const username = decodeURIComponent(parsed.username);
  return {
    ok: true,
    connection: {
      host,
      port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
      db: dbText === '' ? 0 : Number(dbText),
      ...(username !== '' ? { username } : {}),
      ...(password !== '' ? { password } : {}),
      // Node refuses an IP address as SNI server name; the certificate is still checked against it.
      ...(parsed.protocol === 'rediss:' ? { tls: isIP(host) === 0 ? { servername: host } : {} } : {}),
    },
  };
}

/** A refusal as one sentence for the log (the URL itself is not repeated). */
export function describeRedisUrlRefusal(refusal: RedisUrlRefusal): string {
  switch (refusal) {
    case 'unreadable':
      return 'the Redis URL cannot be read';
    case 'scheme':
      return 'the Redis URL must start with redis:// or rediss:// (TLS)';
    case 'host':
      return 'the Redis URL names no host';
    case 'password':
      return 'the Redis URL carries a password, so it is not used: remove it from the URL and store it with "Claude: Set Team Redis Password"';
    case 'query':
      return 'the Redis URL has options after "?" or "#", which are not used: remove them';
    case 'database':
      return 'the Redis URL path must be a database number, as in redis://host:6379/0';
  }
}
