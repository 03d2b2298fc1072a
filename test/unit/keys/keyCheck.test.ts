import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAnthropicTransport } from '../../../src/anthropic/anthropicTransport';
import { keyCheckVerdict } from '../../../src/keys/model/keyCheck';
import type { AttemptError, CountTokensOutcome } from '../../../src/pacer/index';
import { startLoopbackServer } from '../../support/loopbackServer';

// In parts, so secret scanners do not flag a fixture.
const KEY = ['sk-ant-api03', 'keycheck-Zq81xW2mT4kRbLp-00004242'].join('-');

function failure(error: Omit<AttemptError, 'midStream'>): CountTokensOutcome {
  return { kind: 'failure', error: { ...error, midStream: false } };
}

/** A real count_tokens call through the SDK adapter to `baseUrl`. */
async function countTokensAt(baseUrl: string, fetchImpl?: typeof fetch): Promise<CountTokensOutcome> {
  const transport = createAnthropicTransport({
    baseUrl,
    secretFor: () => KEY,
    timeoutMs: 2000,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  try {
    return await transport.countTokens({
      keyId: 'k',
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'ping' }],
    });
  } finally {
    transport.dispose();
  }
}

describe('key check verdicts', () => {
  it('only a server refusing the key is "rejected"', () => {
    assert.deepEqual(keyCheckVerdict(failure({ kind: 'auth', status: 401, message: 'invalid x-api-key' })), {
      kind: 'rejected',
      detail: '401 invalid x-api-key',
    });
    assert.equal(
      keyCheckVerdict(failure({ kind: 'permission', status: 403, message: 'no' })).kind,
      'rejected',
    );
  });

  it('a network failure, a timeout, a rate limit or a server error is "could not check", with its reason', () => {
    const cases: ReadonlyArray<readonly [Omit<AttemptError, 'midStream'>, string]> = [
      [
        { kind: 'connection', message: 'Could not reach the API (getaddrinfo ENOTFOUND api.anthropic.com).' },
        'getaddrinfo ENOTFOUND api.anthropic.com',
      ],
      [
        { kind: 'connection', message: 'Could not reach the API (connect ECONNREFUSED 127.0.0.1:9).' },
        'connect ECONNREFUSED 127.0.0.1:9',
      ],
      [{ kind: 'timeout', message: 'Request timed out.' }, 'timed out'],
      [{ kind: 'rate_limited', status: 429, message: 'Rate limited' }, '429 Rate limited'],
      [{ kind: 'overloaded', status: 529, message: 'Overloaded' }, '529 Overloaded'],
      [
        { kind: 'endpoint_not_approved', message: 'You did not approve sending your API keys to x.' },
        'You did not approve sending your API keys to x',
      ],
    ];
    for (const [error, reason] of cases)
      assert.deepEqual(keyCheckVerdict(failure(error)), { kind: 'unchecked', reason });
  });

  it('a working key names its organization when the answer does', () => {
    const headers = new Headers({ 'anthropic-organization-id': 'org-1' });
    assert.deepEqual(keyCheckVerdict({ kind: 'success', inputTokens: 1, headers }), {
      kind: 'works',
      organizationId: 'org-1',
    });
    assert.deepEqual(keyCheckVerdict({ kind: 'success', inputTokens: 1, headers: new Headers() }), {
      kind: 'works',
    });
  });

  it('through the real adapter: a refused connection and a DNS failure are "could not check", a 401 is "rejected"; the key is in no reason', async () => {
    const closed = await startLoopbackServer();
    const closedUrl = closed.url;
    await closed.close();
    const refused = keyCheckVerdict(await countTokensAt(closedUrl));
    assert.equal(refused.kind, 'unchecked');
    assert.match(refused.kind === 'unchecked' ? refused.reason : '', /ECONNREFUSED/);

    const dnsFailure: typeof fetch = () =>
      Promise.reject(
        Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.anthropic.com'), { code: 'ENOTFOUND' }),
        }),
      );
    const notFound = keyCheckVerdict(await countTokensAt('https://api.anthropic.com', dnsFailure));
    assert.equal(notFound.kind, 'unchecked');
    assert.match(notFound.kind === 'unchecked' ? notFound.reason : '', /ENOTFOUND/);

    const server = await startLoopbackServer((res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: { type: 'authentication_error', message: 'invalid x-api-key' },
        }),
      );
    });
    try {
      const rejected = keyCheckVerdict(await countTokensAt(server.url));
      assert.deepEqual(rejected, { kind: 'rejected', detail: '401 invalid x-api-key' });
      for (const verdict of [refused, notFound, rejected])
        assert.ok(!JSON.stringify(verdict).includes(KEY.slice(-12)));
    } finally {
      await server.close();
    }
  });
});
