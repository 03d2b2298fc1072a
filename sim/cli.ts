import { readFileSync } from 'node:fs';
import type { SimulatorConfig } from './config';
import { demoConfig } from './demoConfig';
import { parseJsonc } from './jsonc';
import { parseSimulatorConfig } from './parseConfig';
import { startSimulator } from './simulator';

const usage = 'usage: npm run sim -- [--port <port>] [--config <file.json|file.jsonc>]';

interface CliArgs {
  readonly port: number;
  readonly configPath?: string;
}

function parseArgs(argv: readonly string[]): CliArgs {
  let port = 0;
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--port' && value !== undefined && /^\d+$/.test(value) && Number(value) <= 65535)
      port = Number(value);
    else if (arg === '--config' && value !== undefined) configPath = value;
    else
      throw new Error(
        arg === '--port' ? '--port needs a number from 0 to 65535' : `unknown argument ${arg ?? ''}`,
      );
    i++;
  }
  return configPath === undefined ? { port } : { port, configPath };
}

function loadConfig(path: string | undefined): SimulatorConfig {
  if (path === undefined) return demoConfig();
  let raw: unknown;
  try {
    raw = parseJsonc(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseSimulatorConfig(raw);
}

async function main(): Promise<void> {
  let config: SimulatorConfig;
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
    config = loadConfig(args.configPath);
  } catch (error) {
    console.error(`sim: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.message.startsWith('unknown argument')) console.error(usage);
    process.exit(2);
  }
  const sim = await startSimulator({ config, port: args.port });
  console.log(`listening on ${sim.url}`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main().catch((error: unknown) => {
  console.error(`sim: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
