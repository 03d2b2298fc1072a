/** Worker side of simHost: runs the simulator on its own event loop and answers control calls. */
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type SimulatorConfig } from '../sim/simulator';

/** A control call from the host. */
export type SimCall =
  | { readonly id: number; readonly op: 'stats' }
  | { readonly id: number; readonly op: 'drain'; readonly orgId: string; readonly modelClass?: string }
  | { readonly id: number; readonly op: 'close' };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('simWorker must run in a worker thread');
  const sim = await startSimulator({ config: workerData as SimulatorConfig });
  port.on('message', (call: SimCall) => {
    void (async () => {
      try {
        if (call.op === 'stats') port.postMessage({ id: call.id, result: sim.stats() });
        else if (call.op === 'drain') {
          sim.drainBuckets(call.orgId, call.modelClass);
          port.postMessage({ id: call.id, result: null });
        } else {
          await sim.close();
          port.postMessage({ id: call.id, result: null });
        }
      } catch (error) {
        port.postMessage({ id: call.id, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  port.postMessage({ id: 0, result: sim.url });
}

void main();
