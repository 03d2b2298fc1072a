// A loopback "switchboard": one stable URL for a workbench's extension environment, forwarding to
// whichever server the current check started. Hand-written on node:http (forwarding with streamed
// replies is ~40 lines); package.json has no proxy library and the checks need nothing more.
import { request } from 'node:http';
import { startLoopbackServer } from '../support/loopbackServer';

/** A forwarding server whose target can change between checks. */
export interface Switchboard {
  /** `http://127.0.0.1:<port>`: what the extension is pointed at; stays the same while the switchboard runs. */
  readonly url: string;
  /** Forwards the requests that follow to `targetUrl` (`http://host:port`); until then every request is dropped. */
  connect(targetUrl: string): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Starts a switchboard on 127.0.0.1 and an ephemeral port. */
export async function startSwitchboard(): Promise<Switchboard> {
  let target: URL | undefined;
  const server = await startLoopbackServer((res, received) => {
    if (target === undefined) {
      res.destroy();
      return;
    }
    // agent: false: one connection per request, so no pooled socket outlives a check's server.
    const upstream = request(
      new URL(received.path, target),
      {
        method: received.method,
        headers: { ...received.headers, host: target.host, connection: 'close' },
        agent: false,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
        reply.on('error', () => res.destroy());
      },
    );
    // A server closed mid-reply breaks the client's connection too; a client that hangs up (Stop)
    // hangs up on the server.
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    upstream.end(received.body);
  });
  return {
    url: server.url,
    connect: (targetUrl) => {
      target = new URL(targetUrl);
      server.requests.length = 0;
    },
    close: () => server.close(),
  };
}
