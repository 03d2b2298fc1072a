// A window of its own for the local coordinator's contract tests: joins the election at the socket
// path given as its argument, prints its role once placed, and leases on request (stdin lines
// "lease") printing each answer, until it is killed.
import { createInterface } from 'node:readline';
import { LocalSharedBudget } from '../../src/coordination/local/localSharedBudget';
import { createSystemClock, requestCost } from '../../src/pacer/index';

const socketPath = process.argv[2];
if (socketPath === undefined) throw new Error('usage: localCoordinatorProcess <socketPath>');
const budget = new LocalSharedBudget({
  socketPath,
  clock: createSystemClock(),
  timeoutMs: 300,
  checkMs: 200,
});
const POOL = { organizationId: 'org-process', modelClass: 'sonnet-4.x' };
const placed = setInterval(() => {
  if (budget.role === 'electing') return;
  clearInterval(placed);
  process.stdout.write(`role ${budget.role}\n`);
}, 5);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'lease') return;
  void budget
    .lease(POOL, requestCost(1, 0), { requests: { perMinute: 600 } })
    .then((answer) => process.stdout.write(`answer ${JSON.stringify(answer)}\n`));
});
