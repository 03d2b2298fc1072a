interface LiveRequest {
  submittedAtMs: number | undefined;
  sendingMs: number;
  attemptStartedAtMs: number | undefined;
}

/**
 * Waiting time per request for usage: from submission to the end, minus the time its attempts spent
 * sending and streaming, so what is left is queue, pacing and retry waits. Pure: times are passed in.
 */
export class RequestWaits {
  readonly #live = new Map<string, LiveRequest>();

  /** A request entered the queue at `submittedAtMs`. */
  submitted(requestId: string, submittedAtMs: number): void {
    // The scheduler may start the first attempt inside `submit`, before the caller knows the id.
    const live = this.#live.get(requestId);
    if (live) live.submittedAtMs = submittedAtMs;
    else this.#live.set(requestId, { submittedAtMs, sendingMs: 0, attemptStartedAtMs: undefined });
  }

  /** One of its attempts started sending. */
  attemptStarted(requestId: string, nowMs: number): void {
    const live = this.#live.get(requestId);
    if (live) live.attemptStartedAtMs = nowMs;
    else this.#live.set(requestId, { submittedAtMs: undefined, sendingMs: 0, attemptStartedAtMs: nowMs });
  }

  /** That attempt ended (answered, failed or cut off). */
  attemptEnded(requestId: string, nowMs: number): void {
    const live = this.#live.get(requestId);
    if (!live || live.attemptStartedAtMs === undefined) return;
    live.sendingMs += Math.max(0, nowMs - live.attemptStartedAtMs);
    live.attemptStartedAtMs = undefined;
  }

  /** The request ended: its waiting time in ms (0 for an unknown id); it is forgotten. */
  finished(requestId: string, nowMs: number): number {
    const live = this.#live.get(requestId);
    if (!live) return 0;
    // A cancel can end the request before its attempt's end is reported: that attempt was sending too.
    this.attemptEnded(requestId, nowMs);
    this.#live.delete(requestId);
    if (live.submittedAtMs === undefined) return 0;
    return Math.max(0, nowMs - live.submittedAtMs - live.sendingMs);
  }
}
