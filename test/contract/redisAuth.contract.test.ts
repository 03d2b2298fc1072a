// The team's Redis as a real team would run it: a password (from SecretStorage, never in the URL)
// and TLS (rediss://, a self-signed certificate trusted by the client process through
// NODE_EXTRA_CA_CERTS, as a company CA would be). Real redis-server processes, real time, short.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RedisSharedBudget } from '../../src/coordination/redis/redisSharedBudget';
import { requestCost } from '../../src/pacer/index';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { waitUntil } from '../support/waitUntil';

const PASSWORD = 'correct-horse-battery-staple';
const POOL = { organizationId: 'org-auth', modelClass: 'sonnet-4.x' };
const LIMITS = { requests: { perMinute: 60 } };

/** Runs test/support/redisClientProcess.ts and returns what it printed. */
async function leaseFromProcess(
  url: string,
  env: Record<string, string>,
): Promise<{ health: string; answer: { kind: string } }> {
  const script = join(import.meta.dirname, '../support/redisClientProcess.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, url], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(output.trim()) as { health: string; answer: { kind: string } };
}

describe('a password-protected redis-server', () => {
  let server: RedisServer;
  const opened: RedisSharedBudget[] = [];
  before(async () => {
    server = await startRedisServer({ password: PASSWORD });
  });
  after(async () => {
    for (const b of opened) b.dispose();
    await server.stop();
  });
  const open = (password?: string): RedisSharedBudget => {
    const budget = new RedisSharedBudget({
      url: server.url,
      ...(password !== undefined ? { password } : {}),
    });
    opened.push(budget);
    return budget;
  };

  it('shares the budget with the stored password', async () => {
    const budget = open(PASSWORD);
    await waitUntil(() => budget.health, { what: 'Redis to answer', isDone: (h) => h === 'up' });
    assert.equal((await budget.lease(POOL, requestCost(1, 0), LIMITS)).kind, 'granted');
  });

  it('without the password or with a wrong one answers down, so the window paces on its own', async () => {
    for (const budget of [open(), open('wrong-password')]) {
      // Give the connection time to be refused (ioredis retries in the background).
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(budget.health, 'down');
      assert.deepEqual(await budget.lease(POOL, requestCost(1, 0), LIMITS), { kind: 'down' });
    }
  });

  it('refuses a URL that carries the password, naming the problem but not the password', () => {
    const url = server.url.replace('redis://', `redis://:${PASSWORD}@`);
    assert.throws(
      () => new RedisSharedBudget({ url }),
      (error: Error) => /carries a password/.test(error.message) && !error.message.includes(PASSWORD),
    );
  });
});

describe('a redis-server behind TLS (rediss://)', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedisServer({ password: PASSWORD, tls: true });
  });
  after(async () => {
    await server.stop();
  });

  it('shares the budget over TLS when the client trusts the certificate', async () => {
    const result = await leaseFromProcess(server.url, {
      NODE_EXTRA_CA_CERTS: server.caFile ?? '',
      CLAUDE_PACER_TEST_REDIS_PASSWORD: PASSWORD,
    });
    assert.equal(result.health, 'up');
    assert.equal(result.answer.kind, 'granted');
  });

  it('refuses a certificate it does not trust: down, local pacing', async () => {
    const result = await leaseFromProcess(server.url, { CLAUDE_PACER_TEST_REDIS_PASSWORD: PASSWORD });
    assert.equal(result.health, 'down');
    assert.equal(result.answer.kind, 'down');
  });
});
