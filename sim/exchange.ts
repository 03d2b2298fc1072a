import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorEnvelope, type ErrorObject } from './errors';
import { garbageRateLimitHeaders, withoutRateLimitHeaders, type HeaderMap } from './headers';
import type { Principal } from './auth';
import type { SimState } from './state';
import type { RequestOutcome, RequestRecord } from './stats';

/** How a header fault mangles the rate-limit headers of this response. */
export type HeaderFault = 'missing' | 'garbage';

/** One request/response pair with the headers every response carries. */
export class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly record: RequestRecord;
  readonly #state: SimState;
  readonly #headers: HeaderMap;
  #rateLimitHeaders: (() => HeaderMap) | undefined;
  #headerFault: HeaderFault | undefined;

  constructor(state: SimState, req: IncomingMessage, res: ServerResponse, record: RequestRecord) {
    this.#state = state;
    this.req = req;
    this.res = res;
    this.record = record;
    this.requestId = state.newId('req');
    this.#headers = { 'request-id': this.requestId };
  }

  /** Whether the response can still be written. */
  get isOpen(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  /** Adds `anthropic-organization-id` (unless realism omits it) and `anthropic-workspace-id` for the key's owner. */
  setPrincipal(principal: Principal): void {
    if (!this.#state.config.realism.omitOrganizationId)
      this.#headers['anthropic-organization-id'] = principal.org.id;
    if (principal.workspace) this.#headers['anthropic-workspace-id'] = principal.workspace.id;
  }

  /** Drops the organization, workspace and rate-limit headers: the key no longer identifies anyone. */
  forgetPrincipal(): void {
    delete this.#headers['anthropic-organization-id'];
    delete this.#headers['anthropic-workspace-id'];
    this.#rateLimitHeaders = undefined;
  }

  /** Computes the rate-limit headers when the response head is written (so they reflect every debit so far). */
  setRateLimitHeaders(compute: () => HeaderMap): void {
    this.#rateLimitHeaders = compute;
  }

  /** Makes every later response head carry missing or garbage rate-limit headers. */
  setHeaderFault(fault: HeaderFault): void {
    this.#headerFault = fault;
  }

  /** Writes the status line and headers: base, rate-limit (possibly mangled), then `extra`. */
  writeHead(status: number, extra: HeaderMap): void {
    let rateLimit = this.#rateLimitHeaders?.() ?? {};
    if (this.#headerFault === 'missing') rateLimit = withoutRateLimitHeaders(rateLimit);
    if (this.#headerFault === 'garbage') rateLimit = garbageRateLimitHeaders();
    const date = new Date(this.#state.clock.now()).toUTCString();
    this.res.writeHead(status, { ...this.#headers, date, ...rateLimit, ...extra });
    this.#state.stats.status(this.record, status);
  }

  /** Sends a complete JSON response. */
  sendJson(status: number, body: string, extra: HeaderMap = {}): void {
    if (!this.isOpen) return;
    this.writeHead(status, { 'content-type': 'application/json', ...extra });
    this.res.end(body);
    this.finish('complete');
  }

  /** Sends an error envelope carrying this exchange's request id. */
  sendError(status: number, error: ErrorObject, extra: HeaderMap = {}): void {
    this.sendJson(status, errorEnvelope(error, this.requestId), extra);
  }

  /** Destroys the socket without a response (connection reset before headers). */
  reset(): void {
    this.req.socket.destroy();
    this.#state.stats.status(this.record, 0);
    this.finish('connection_reset');
  }

  /** Records how the request ended (the first call wins). */
  finish(outcome: RequestOutcome): void {
    if (this.record.outcome === 'pending') this.record.outcome = outcome;
  }

  /** Waits `delayMs` on the simulator clock; resolves false if the simulator closed or the client left meanwhile. */
  delay(delayMs: number): Promise<boolean> {
    const { clock, inflight } = this.#state;
    return new Promise((resolve) => {
      const cancel = (): void => {
        clock.clearTimer(handle);
        inflight.delete(cancel);
        resolve(false);
      };
      const handle = clock.setTimer(() => {
        inflight.delete(cancel);
        resolve(this.isOpen);
      }, delayMs);
      inflight.add(cancel);
    });
  }
}
