import { createServer, type Server, type Socket } from 'node:net';
import type { SharedBudget } from '../../pacer/index';
import { parseRequest, type CoordinatorAnswer, type CoordinatorRequest } from './coordinationProtocol';
import { readLines, writeLine } from './jsonLines';

/**
 * Serves one budget store to the other windows of this machine on a Unix domain socket (a named
 * pipe on Windows). Every line is checked before it reaches the store and a bad one is answered
 * with an error; nothing a client sends can end the server.
 */
export class BudgetCoordinator {
  readonly #server: Server;
  readonly #store: SharedBudget;
  readonly #coordinatorId: string;
  readonly #sockets = new Set<Socket>();
  /** Connections that said they are windows sharing the budget (probes are not counted). */
  readonly #windows = new Set<Socket>();

  private constructor(server: Server, store: SharedBudget, coordinatorId: string) {
    this.#server = server;
    this.#store = store;
    this.#coordinatorId = coordinatorId;
    server.on('connection', (socket) => this.#serve(socket));
  }

  /** Listens at `path`; rejects with the listen error (`EADDRINUSE`: another coordinator, or a stale socket file). */
  static async listen(path: string, store: SharedBudget, coordinatorId: string): Promise<BudgetCoordinator> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Errors after listening (a socket's, say) must not reach the host as uncaught.
    server.on('error', () => undefined);
    return new BudgetCoordinator(server, store, coordinatorId);
  }

  /** How many other windows are connected now (connections that pinged as a window). */
  get clientCount(): number {
    return this.#windows.size;
  }

  /** Stops listening and drops every connection (their clients answer `down` and elect again). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.#windows.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    readLines(
      socket,
      (line) => void this.#answer(socket, line),
      () => {
        writeLine(socket, { id: null, error: 'line too long' });
        socket.end();
      },
    );
  }

  async #answer(socket: Socket, line: string): Promise<void> {
    const parsed = parseRequest(line);
    if (!parsed.ok) {
      writeLine(socket, { id: parsed.id, error: parsed.error });
      return;
    }
    try {
      if (parsed.request.op === 'ping' && parsed.request.isWindow === true && !socket.destroyed)
        this.#windows.add(socket);
      writeLine(socket, { id: parsed.request.id, answer: await this.#run(parsed.request) });
    } catch (error) {
      writeLine(socket, {
        id: parsed.request.id,
        error: error instanceof TypeError ? error.message : 'store error',
      });
    }
  }

  async #run(request: CoordinatorRequest): Promise<CoordinatorAnswer> {
    switch (request.op) {
      case 'ping':
        return { kind: 'pong', coordinatorId: this.#coordinatorId, windowCount: this.clientCount + 1 };
      case 'lease':
        return this.#store.lease(request.pool, request.cost, request.limits);
      case 'settle':
        return this.#store.settle(request.pool, request.leaseId, request.actual);
      case 'refund':
        return this.#store.refund(request.pool, request.leaseId);
      case 'sync':
        return this.#store.syncHeaders(request.pool, request.reading);
    }
  }
}
