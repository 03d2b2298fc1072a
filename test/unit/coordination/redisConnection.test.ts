import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeRedisUrlRefusal,
  redisConnectionOf,
  type RedisUrlRefusal,
} from '../../../src/coordination/redis/redisConnection';

describe('the Redis connection built from the setting and the stored password', () => {
  it('takes host, port, database and user from the URL, and the password only from SecretStorage', () => {
    assert.deepEqual(redisConnectionOf('redis://team@cache.example:6380/2', 's3cret-from-secrets'), {
      ok: true,
      connection: {
        host: 'cache.example',
        port: 6380,
        db: 2,
        username: 'team',
        password: 's3cret-from-secrets',
      },
    });
    assert.deepEqual(redisConnectionOf('redis://127.0.0.1', ''), {
      ok: true,
      connection: { host: '127.0.0.1', port: 6379, db: 0 },
    });
  });

  it('uses TLS for rediss://, with the host name for SNI (none for an IP address)', () => {
    const named = redisConnectionOf('rediss://cache.example', 'pw');
    assert.ok(named.ok);
    assert.deepEqual(named.connection.tls, { servername: 'cache.example' });
    const byAddress = redisConnectionOf('rediss://[::1]:6390', '');
    assert.ok(byAddress.ok);
    assert.equal(byAddress.connection.host, '::1');
    assert.deepEqual(byAddress.connection.tls, {});
    const plain = redisConnectionOf('redis://cache.example', '');
    assert.ok(plain.ok);
    assert.equal(plain.connection.tls, undefined, 'redis:// stays plain');
  });

  it('refuses a URL with a password, and says so without repeating it', () => {
    const result = redisConnectionOf('redis://:hunter2-in-settings@cache.example', 'stored');
    assert.deepEqual(result, { ok: false, refusal: 'password' });
    const sentence = describeRedisUrlRefusal('password');
    assert.match(sentence, /Set Team Redis Password/);
    assert.doesNotMatch(sentence, /hunter2/);
  });

  it('refuses what ioredis would read as options or cannot reach', () => {
    const cases: Array<[string, RedisUrlRefusal]> = [
      ['not a url', 'unreadable'],
      ['http://cache.example', 'scheme'],
      ['redis://', 'host'],
      ['redis://cache.example?password=x', 'query'],
      ['redis://cache.example/#tls', 'query'],
      ['redis://cache.example/zero', 'database'],
    ];
    for (const [url, refusal] of cases) {
      assert.deepEqual(redisConnectionOf(url, ''), { ok: false, refusal }, url);
      assert.ok(describeRedisUrlRefusal(refusal).length > 10);
    }
  });
});
