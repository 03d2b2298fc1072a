/**
 * Micro-benchmark of the scheduler core (not a test): the time of one scheduling decision with
 * 10,000 requests queued, and the memory each queued request costs. Manual clock, a transport that
 * answers at once; wall time measured with process.hrtime. Run: `npm run bench -- --core`
 * (or `node --expose-gc --import tsx bench/coreDecisions.ts`).
 */
import { ManualClock } from '../test/support/manualClock';
import {
  type AttemptOutcome,
  type Lane,
  type MessageRequest,
  Scheduler,
  type Transport,
} from '../src/pacer/index';

const QUEUED = 10_000;
const LANES: Lane[] = ['interactive', 'command', 'background'];
const okOutcome: AttemptOutcome = {
  kind: 'success',
  text: 'ok',
  usage: { inputTokens: 100, outputTokens: 10, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
  stopReason: 'end_turn',
  headers: new Headers(),
};

/** Figures the benchmark reports. */
export interface CoreFigures {
  readonly queued: number;
  readonly decisionMicros: { readonly mean: number; readonly p50: number; readonly p99: number };
  readonly submitMicros: number;
  readonly bytesPerQueuedRequest: number;
}

function scheduler(clock: ManualClock, transport: Transport): Scheduler {
  const s = new Scheduler({
    clock,
    random: Math.random,
    transport,
    // One request per 60 ms: every refill releases exactly one decision.
    options: { maxInFlight: 64, limits: { '*': { requests: 1000, inputTokens: 1e9, outputTokens: 1e9 } } },
  });
  s.setKeys([
    { id: 'k1', label: 'one', last4: '0001' },
    { id: 'k2', label: 'two', last4: '0002' },
  ]);
  return s;
}

const shared: MessageRequest = {
  model: 'claude-sonnet-4-6',
  maxTokens: 100,
  messages: [{ role: 'user', content: 'hi' }],
};

async function measureDecisions(): Promise<{ mean: number; p50: number; p99: number; submitMicros: number }> {
  const clock = new ManualClock();
  let sends = 0;
  const s = scheduler(clock, {
    send: () => {
      sends++;
      return Promise.resolve(okOutcome);
    },
  });
  // Empty the buckets first so everything after queues.
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < QUEUED + 2000; i++)
    s.submit({ request: shared, lane: LANES[i % 3]!, inputTokens: 100 });
  const submitMicros = Number(process.hrtime.bigint() - t0) / 1000 / (QUEUED + 2000);
  await new Promise((r) => setImmediate(r));
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const sendsBefore = sends;
    const start = process.hrtime.bigint();
    clock.advance(60); // about one request refills: the timer fires and the scheduler decides
    const micros = Number(process.hrtime.bigint() - start) / 1000;
    const decisions = sends - sendsBefore;
    for (let k = 0; k < decisions; k++) samples.push(micros / decisions);
    if (i % 50 === 0) await new Promise((r) => setImmediate(r)); // let completions be processed (untimed)
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  s.dispose();
  return {
    mean,
    p50: samples[Math.floor(samples.length / 2)]!,
    p99: samples[Math.floor(samples.length * 0.99)]!,
    submitMicros,
  };
}

function measureMemory(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  const clock = new ManualClock();
  const s = scheduler(clock, { send: () => new Promise<AttemptOutcome>(() => undefined) });
  for (let i = 0; i < 2000; i++) s.submit({ request: shared, lane: 'command', inputTokens: 100 }); // fill the bucket and in-flight slots
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < QUEUED; i++) s.submit({ request: shared, lane: LANES[i % 3]!, inputTokens: 100 });
  gc();
  const after = process.memoryUsage().heapUsed;
  s.dispose();
  return (after - before) / QUEUED;
}

/** Runs both measurements. */
export async function runCoreBenchmark(): Promise<CoreFigures> {
  await measureDecisions(); // warm-up for the JIT
  const d = await measureDecisions();
  return {
    queued: QUEUED,
    decisionMicros: { mean: d.mean, p50: d.p50, p99: d.p99 },
    submitMicros: d.submitMicros,
    bytesPerQueuedRequest: measureMemory(),
  };
}

if (process.argv[1]?.endsWith('coreDecisions.ts')) {
  void runCoreBenchmark().then((f) => {
    console.log(
      `scheduling decision with ${f.queued} queued: mean ${f.decisionMicros.mean.toFixed(2)} µs, p50 ${f.decisionMicros.p50.toFixed(2)} µs, p99 ${f.decisionMicros.p99.toFixed(2)} µs (target ≤ 20 µs)`,
    );
    console.log(`submit: ${f.submitMicros.toFixed(2)} µs per request`);
    console.log(
      `memory per queued request: ${Number.isNaN(f.bytesPerQueuedRequest) ? 'n/a (run with --expose-gc)' : `${Math.round(f.bytesPerQueuedRequest)} bytes`} (target ≤ 1 KB)`,
    );
  });
}
