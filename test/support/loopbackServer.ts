// One loopback HTTP server for tests of every tier (unit, extension host, UI checks): it reads each
// request's body, records it, and hands it to a handler that writes the response (or leaves it hanging).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Writes the response for one request; may leave it hanging. */
export type LoopbackHandler = (res: ServerResponse, request: ReceivedRequest) => void;

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://<host>:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order (tests may clear it). */
  readonly requests: ReceivedRequest[];
  /** TCP connections accepted so far. */
  readonly connections: () => number;
  /** Replaces the handler for the requests that follow. */
  handle(handler: LoopbackHandler): void;
  /** Drops open connections and stops listening. */
  close(): Promise<void>;
}

/** Starts a server on `host` (default 127.0.0.1) and an ephemeral port; without a handler it drops every request. */
export async function startLoopbackServer(
  handler: LoopbackHandler = (res) => res.destroy(),
  host = '127.0.0.1',
): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = [];
  let current = handler;
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      current(res, request);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    connections: () => connections,
    handle: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
