// A real redis-server for tests: on 127.0.0.1 and a free port, no persistence, in a temp dir; it
// can be killed (a store that vanishes) and started again on the same port (a store that comes back).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The command that installs what {@link startRedisServer} runs, printed when it is missing. */
export const REDIS_INSTALL_COMMAND = 'apt-get update && apt-get install -y redis-server (as root)';

/** A running (or killed, restartable) redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** SIGKILLs the server (no goodbye to its clients) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts a fresh server (empty) on the same port after {@link kill}. */
  restart(): Promise<void>;
  /** Kills the server and removes its folder. */
  stop(): Promise<void>;
}

/** True when `redis-server` is on the PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function isAccepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Spawns redis-server and resolves once it prints that it accepts connections. */
async function spawnServer(port: number, dir: string, password: string | undefined): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (/Ready to accept connections/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) =>
      reject(
        new Error(`could not start redis-server (${error.message}); install it: ${REDIS_INSTALL_COMMAND}`),
      ),
    );
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
    );
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function killAndWait(child: ChildProcess | undefined, port: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  // The kernel may take a moment to drop the listening socket after the process is gone.
  for (let i = 0; i < 100 && (await isAccepting(port)); i++) await new Promise((r) => setImmediate(r));
}

/** Starts redis-server on a free loopback port (requiring `password` if given); throws naming the install command when it is missing. */
export async function startRedisServer(options: { readonly password?: string } = {}): Promise<RedisServer> {
  if (!hasRedisServer())
    throw new Error(`redis-server is not installed; install it: ${REDIS_INSTALL_COMMAND}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'claude-pacer-redis-'));
  let child: ChildProcess | undefined = await spawnServer(port, dir, options.password);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: async () => {
      await killAndWait(child, port);
      child = undefined;
    },
    restart: async () => {
      await killAndWait(child, port);
      child = await spawnServer(port, dir, options.password);
    },
    stop: async () => {
      await killAndWait(child, port);
      child = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
