// Parsers the existing property tests reach only in part: retry-after as an HTTP-date, the
// spend-cap resume date, the base-URL safety check. Each is total: no throw, no NaN, no negative
// or unbounded wait, no unsafe URL accepted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resumeDateOf } from '../../../src/pacer/retry/failurePolicy';
import { MAX_BELIEVABLE_RETRY_AFTER_MS, parseRetryAfterMs } from '../../../src/pacer/retry/retryAfter';
import { isBaseUrlSafeForKeys } from '../../../src/anthropic/baseUrlSafety';

const NOW = Date.UTC(2026, 0, 1);
/** Any moment from 1970 to 2100. */
const moment = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) });

void describe('retry-after', () => {
  void it('is total on any string, seconds and HTTP-dates around now: undefined or a whole wait in [0, 15 min]', () => {
    const value = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.integer({ min: -1_000, max: 2_000 }).map(String),
      fc.integer({ min: -3_600_000, max: 3_600_000 }).map((d) => new Date(NOW + d).toUTCString()),
      moment.map((t) => new Date(t).toUTCString()),
      fc.constantFrom(
        'Thu, 01 Jan 2026 00:00:00 GMT',
        'Fri, 31 Feb 2026 00:00:00 GMT',
        'Mon,',
        '+5',
        '5e2',
        '0x10',
      ),
    );
    fc.assert(
      fc.property(value, moment, (v, now) => {
        const ms = parseRetryAfterMs(v, now);
        if (ms === undefined) return;
        assert.ok(Number.isInteger(ms) && ms >= 0 && ms <= MAX_BELIEVABLE_RETRY_AFTER_MS, `${v} → ${ms}`);
      }),
      { numRuns: 2_000 },
    );
  });

  void it('an HTTP-date within 15 minutes is read to the second; one in the past is ignored', () => {
    fc.assert(
      fc.property(fc.integer({ min: -900, max: 900 }), (seconds) => {
        const ms = parseRetryAfterMs(new Date(NOW + seconds * 1_000).toUTCString(), NOW);
        assert.equal(ms, seconds >= 0 ? seconds * 1_000 : undefined);
      }),
    );
  });
});

void describe('spend-cap resume date', () => {
  void it('is total: any message gives undefined or a finite moment', () => {
    const message = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 10 }), fc.string({ maxLength: 5 }))
        .map(([a, d, t]) => `${a} You will regain access on ${d} at ${t} UTC.`),
      fc
        .tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 99 }),
          fc.integer({ min: 0, max: 99 }),
        )
        .map(
          ([y, m, d]) =>
            `regain access on ${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        ),
    );
    fc.assert(
      fc.property(message, (m) => {
        const at = resumeDateOf(m);
        if (at !== undefined) assert.ok(Number.isFinite(at), `${m} → ${at}`);
      }),
      { numRuns: 2_000 },
    );
  });
});

void describe('base URL safety for keys', () => {
  void it('is total, and accepts only https or plain http to a loopback host', () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((h) => `[${h}]`),
      fc.constantFrom(
        'localhost',
        '127.0.0.1',
        '127.1',
        '2130706433',
        '0x7f.1',
        '[::1]',
        'localhost.',
        '127.0.0.1.evil.com',
      ),
    );
    const url = fc.oneof(
      fc.string(),
      fc.webUrl({ withFragments: true, withQueryParameters: true }),
      fc
        .tuple(
          fc.constantFrom('http', 'https', 'HTTP', 'ws', 'file', 'javascript', 'ftp'),
          fc.constantFrom('', 'user:pass@', '127.0.0.1@', 'localhost:80@'),
          host,
          fc.constantFrom('', ':8080', ':0', ':65536'),
          fc.constantFrom('', '/', '/v1', '#@evil.com', '\\@evil.com', '?x=http://evil.com'),
        )
        .map(([scheme, auth, h, port, rest]) => `${scheme}://${auth}${h}${port}${rest}`),
    );
    fc.assert(
      fc.property(url, (u) => {
        const isSafe = isBaseUrlSafeForKeys(u);
        if (!isSafe) return;
        // What fetch will connect to is what the WHATWG parser says, whatever the string looked like.
        const parsed = new URL(u);
        if (parsed.protocol === 'https:') return;
        assert.equal(parsed.protocol, 'http:', u);
        assert.ok(
          /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(parsed.hostname),
          `${u} → ${parsed.hostname}`,
        );
      }),
      { numRuns: 3_000 },
    );
  });
});
