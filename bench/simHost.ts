import { Worker } from 'node:worker_threads';
import type { SimulatorConfig, SimulatorStats } from '../sim/simulator';
import type { SimCall } from './simWorker';

/** A simulator running in a worker thread, so its timing does not share the client's event loop. */
export interface SimHost {
  readonly url: string;
  stats(): Promise<SimulatorStats>;
  /** Empties an organization's buckets (all model classes unless one is named): sudden quota loss. */
  drain(orgId: string, modelClass?: string): Promise<void>;
  close(): Promise<void>;
}

type Reply = { readonly id: number; readonly result?: unknown; readonly error?: string };
type CallBody<T = SimCall> = T extends unknown ? Omit<T, 'id'> : never;

/** Starts the simulator with `config` in a worker thread (TypeScript loaded through tsx). */
export async function startSimHost(config: SimulatorConfig): Promise<SimHost> {
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(require.resolve('./simWorker.ts'))});`;
  const worker = new Worker(boot, { eval: true, workerData: config });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  worker.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
    else waiter?.resolve(reply.result);
  });
  worker.on('error', (error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  const call = (body: CallBody): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id });
    });
  const url = await new Promise<unknown>((resolve, reject) => pending.set(0, { resolve, reject }));
  return {
    url: String(url),
    stats: async () => (await call({ op: 'stats' })) as SimulatorStats,
    drain: async (orgId, modelClass) => {
      await call({ op: 'drain', orgId, ...(modelClass !== undefined ? { modelClass } : {}) });
    },
    close: async () => {
      await call({ op: 'close' });
      await worker.terminate();
    },
  };
}
