import { connect, type Socket } from 'node:net';
import type { Clock } from '../../pacer/index';
import { parseResponse, type CoordinatorAnswer, type CoordinatorRequest } from './coordinationProtocol';
import { readLines, writeLine } from './jsonLines';

type RequestBody = CoordinatorRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** The coordinator's answer, `refused` when it found the request invalid, `undefined` for no answer. */
export type ClientAnswer =
  CoordinatorAnswer | { readonly kind: 'refused'; readonly reason: string } | undefined;

interface Pending {
  readonly resolve: (answer: ClientAnswer) => void;
  readonly timer: ReturnType<Clock['setTimer']>;
}

/**
 * One window's connection to the coordinator. A request gets the coordinator's answer, or
 * `undefined` when none came within `timeoutMs` or the connection closed (a malformed answer is
 * ignored, so it times out): the caller then answers `down` and elects again.
 */
export class CoordinatorClient {
  readonly #socket: Socket;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #closeListeners: Array<() => void> = [];
  #nextId = 1;
  #isClosed = false;

  private constructor(socket: Socket, clock: Clock, timeoutMs: number) {
    this.#socket = socket;
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#closed());
    readLines(
      socket,
      (line) => this.#receive(line),
      () => socket.destroy(),
    );
  }

  /** Connects to `path`; rejects with the connect error (`ECONNREFUSED`/`ENOENT`: no coordinator there). */
  static async connect(path: string, clock: Clock, timeoutMs: number): Promise<CoordinatorClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(path);
      const timer = clock.setTimer(() => {
        s.destroy();
        reject(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      s.once('error', (error) => {
        clock.clearTimer(timer);
        reject(error);
      });
      s.once('connect', () => {
        clock.clearTimer(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
    });
    return new CoordinatorClient(socket, clock, timeoutMs);
  }

  /** Whether the connection is closed (after which every request answers `undefined`). */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Calls `listener` once when the connection closes. */
  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  /** Sends a request; its answer, or `undefined` for none. */
  request(body: RequestBody): Promise<ClientAnswer> {
    if (this.#isClosed) return Promise.resolve(undefined);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = this.#clock.setTimer(() => this.#finish(id, undefined), this.#timeoutMs);
      this.#pending.set(id, { resolve, timer });
      writeLine(this.#socket, { ...body, id });
    });
  }

  /** Closes the connection; pending requests answer `undefined`. */
  dispose(): void {
    this.#socket.destroy();
    this.#closed();
  }

  #receive(line: string): void {
    const response = parseResponse(line);
    if (response?.id === null || response === undefined) return;
    this.#finish(
      response.id,
      'answer' in response ? response.answer : { kind: 'refused', reason: response.error },
    );
  }

  #finish(id: number, answer: ClientAnswer): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    this.#clock.clearTimer(pending.timer);
    pending.resolve(answer);
  }

  #closed(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    for (const id of [...this.#pending.keys()]) this.#finish(id, undefined);
    for (const listener of this.#closeListeners) listener();
  }
}
