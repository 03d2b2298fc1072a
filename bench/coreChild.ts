/** Child entry of the core benchmark: run with `node --expose-gc --import tsx`, prints one JSON line. */
import { runCoreBenchmark } from './coreDecisions';

void runCoreBenchmark().then((figures) => {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
});
