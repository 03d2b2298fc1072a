// One Redis client in a process of its own, for what must be set before Node starts (a test CA in
// NODE_EXTRA_CA_CERTS for TLS): connects to the URL given as its first argument with the password
// in CLAUDE_PACER_TEST_REDIS_PASSWORD, leases once, prints the answer as one JSON line and exits.
import { RedisSharedBudget } from '../../src/coordination/redis/redisSharedBudget';
import { requestCost } from '../../src/pacer/index';
import { waitUntil } from './waitUntil';

const url = process.argv[2];
if (url === undefined) throw new Error('usage: redisClientProcess <url>');
const budget = new RedisSharedBudget({
  url,
  password: process.env['CLAUDE_PACER_TEST_REDIS_PASSWORD'] ?? '',
});
async function main(): Promise<void> {
  const health = await waitUntil(() => budget.health, {
    what: 'Redis to answer',
    isDone: (h) => h === 'up',
    timeoutMs: 1_500,
  }).catch(() => budget.health);
  const answer = await budget.lease(
    { organizationId: 'org-process', modelClass: 'sonnet-4.x' },
    requestCost(1, 0),
    { requests: { perMinute: 60 } },
  );
  process.stdout.write(`${JSON.stringify({ health, answer })}\n`);
  budget.dispose();
}

void main().finally(() => setTimeout(() => process.exit(0), 100).unref());
