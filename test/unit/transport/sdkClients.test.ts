import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SdkClientCache } from '../../../src/anthropic/sdkClients';

void describe('SdkClientCache', () => {
  const url = 'http://127.0.0.1:1';

  void it('reuses the client while key, base URL and secret stay the same', () => {
    const cache = new SdkClientCache({ timeoutMs: 1_000 });

    assert.equal(cache.clientFor('a', url, 'sk-1'), cache.clientFor('a', url, 'sk-1'));
    assert.equal(cache.size, 1);
  });

  void it('rebuilds the client when the secret or the base URL changes', () => {
    const cache = new SdkClientCache({ timeoutMs: 1_000 });
    const first = cache.clientFor('a', url, 'sk-1');

    const rotated = cache.clientFor('a', url, 'sk-2');
    const moved = cache.clientFor('a', 'https://api.anthropic.com', 'sk-2');

    assert.notEqual(rotated, first);
    assert.notEqual(moved, rotated);
    assert.equal(moved.baseURL, 'https://api.anthropic.com');
    assert.equal(cache.size, 1);
  });

  void it('builds clients with SDK retries off and the configured timeout', () => {
    const client = new SdkClientCache({ timeoutMs: 1_234 }).clientFor('a', url, 'sk-1');

    assert.equal(client.maxRetries, 0);
    assert.equal(client.timeout, 1_234);
  });

  void it('drops one key on forget and all on clear', () => {
    const cache = new SdkClientCache({ timeoutMs: 1_000 });
    cache.clientFor('a', url, 'sk-1');
    cache.clientFor('b', url, 'sk-2');

    cache.forget('a');
    assert.equal(cache.size, 1);
    cache.clear();
    assert.equal(cache.size, 0);
  });
});
