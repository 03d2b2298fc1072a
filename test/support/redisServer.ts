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
  /** `redis://127.0.0.1:<port>`, or `rediss://localhost:<port>` with TLS. */
  readonly url: string;
  /** With TLS: the server's self-signed certificate (PEM file), for a client's NODE_EXTRA_CA_CERTS. */
  readonly caFile?: string;
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
async function spawnServer(
  port: number,
  dir: string,
  password: string | undefined,
  isTls = false,
): Promise<ChildProcess> {
  const listen = isTls
    ? ['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const tlsFiles = isTls
    ? ['--tls-cert-file', join(dir, 'cert.pem'), '--tls-key-file', join(dir, 'key.pem')]
    : [];
  const args = [
    ...listen,
    ...tlsFiles,
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

/** A self-signed certificate for localhost and 127.0.0.1 in `dir` (cert.pem, key.pem), made by openssl. */
function makeCertificate(dir: string): void {
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  if (made.status !== 0) throw new Error('openssl could not make a test certificate');
}

/**
 * Starts redis-server on a free loopback port (requiring `password` if given; TLS only with `tls`,
 * on a self-signed certificate); throws naming the install command when it is missing.
 */
export async function startRedisServer(
  options: { readonly password?: string; readonly tls?: boolean } = {},
): Promise<RedisServer> {
  if (!hasRedisServer())
    throw new Error(`redis-server is not installed; install it: ${REDIS_INSTALL_COMMAND}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'claude-pacer-redis-'));
  const isTls = options.tls === true;
  if (isTls) makeCertificate(dir);
  let child: ChildProcess | undefined = await spawnServer(port, dir, options.password, isTls);
  return {
    url: isTls ? `rediss://localhost:${port}` : `redis://127.0.0.1:${port}`,
    ...(isTls ? { caFile: join(dir, 'cert.pem') } : {}),
    port,
    kill: async () => {
      await killAndWait(child, port);
      child = undefined;
    },
    restart: async () => {
      await killAndWait(child, port);
      child = await spawnServer(port, dir, options.password, isTls);
    },
    stop: async () => {
      await killAndWait(child, port);
      child = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
