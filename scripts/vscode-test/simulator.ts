import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths';
import { type Stoppable } from './teardown';

/** The simulator's module, loaded only when it exists so the harness works before and without it. */
const SIMULATOR_MODULE = path.join(REPO_ROOT, 'sim', 'simulator.ts');

/** The shape of sim/simulator.ts this harness relies on. */
interface SimulatorModule {
  startSimulator(options: {
    config: unknown;
    port?: number;
  }): Promise<{ url: string; close(): Promise<void> }>;
  demoConfig(): DemoConfig;
}

interface DemoConfig {
  readonly organizations?: readonly {
    readonly keys?: readonly string[];
    readonly workspaces?: readonly { readonly keys?: readonly string[] }[];
  }[];
}

/** A running simulator with the demo configuration. */
export interface DemoSimulator extends Stoppable {
  readonly url: string;
  /** Every API key of the demo organizations and their workspaces. */
  readonly keys: readonly string[];
}

/** Starts the simulator on a free 127.0.0.1 port with its demo config, or returns undefined when sim/simulator.ts does not exist. */
export async function startDemoSimulator(): Promise<DemoSimulator | undefined> {
  if (!fs.existsSync(SIMULATOR_MODULE)) return undefined;
  const sim = (await import(pathToFileURL(SIMULATOR_MODULE).href)) as SimulatorModule;
  const config = sim.demoConfig();
  const running = await sim.startSimulator({ config, port: 0 });
  const keys = (config.organizations ?? []).flatMap((org) => [
    ...(org.keys ?? []),
    ...(org.workspaces ?? []).flatMap((workspace) => workspace.keys ?? []),
  ]);
  return {
    name: 'simulator',
    url: running.url,
    keys,
    stop: () => running.close(),
    // In-process server: it ends with this process.
    stopNow: () => undefined,
  };
}

/** Extension host variables that point the extension at a simulator: `CLAUDE_PACER_BASE_URL` and comma-separated `CLAUDE_PACER_DEMO_KEYS`. */
export function simulatorEnv(simulator: DemoSimulator): Record<string, string> {
  return { CLAUDE_PACER_BASE_URL: simulator.url, CLAUDE_PACER_DEMO_KEYS: simulator.keys.join(',') };
}
