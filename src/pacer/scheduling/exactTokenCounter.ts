import type { Clock } from '../clock';
import { requestCost } from '../limits/cost';
import { parseRateLimitHeaders } from '../limits/rateLimitHeaders';
import type { RequestEntry } from './requestEntry';
import { TokenBucket } from '../limits/tokenBucket';
import type { HeaderReader, MessageRequest } from '../transport';

/** One count_tokens call: the input tokens, or undefined when it failed; headers when a response came. */
export type CountTokensCall = (
  request: MessageRequest,
) => Promise<{ inputTokens?: number; headers?: HeaderReader }>;

/** count_tokens requests per minute assumed until its own headers say otherwise (the lowest published tier). */
const DEFAULT_COUNT_RPM = 100;
/** Never hold a request longer than this for an exact count: the estimate is good enough. */
const MAX_COUNT_WAIT_MS = 2000;

/**
 * Exact input-token counts from the free count_tokens endpoint, which has its own requests-per-
 * minute limit: calls are paced by a bucket of their own (re-synced from that endpoint's headers),
 * and when the bucket would make the caller wait, or the call fails, the caller falls back to the
 * estimate instead of waiting.
 */
export class ExactTokenCounter {
  readonly #call: CountTokensCall;
  readonly #clock: Clock;
  readonly #bucket: TokenBucket;

  /** Wraps one count_tokens call function. */
  constructor(call: CountTokensCall, clock: Clock) {
    this.#call = call;
    this.#clock = clock;
    this.#bucket = new TokenBucket(DEFAULT_COUNT_RPM, DEFAULT_COUNT_RPM, clock.now());
  }

  /** The exact count, or undefined (use the estimate). Never rejects. */
  async count(request: MessageRequest): Promise<number | undefined> {
    const now = this.#clock.now();
    if (this.#bucket.waitMs(1, now) > MAX_COUNT_WAIT_MS) return undefined;
    if (this.#bucket.waitMs(1, now) > 0) {
      await new Promise<void>((resolve) => this.#clock.setTimer(resolve, this.#bucket.waitMs(1, now)));
    }
    this.#bucket.take(1, this.#clock.now());
    try {
      const { inputTokens, headers } = await this.#call(request);
      const requests = parseRateLimitHeaders(headers, this.#clock.now()).dimensions.requests;
      if (requests?.limit !== undefined)
        this.#bucket.reshape(requests.limit, requests.limit, this.#clock.now());
      if (requests?.remaining !== undefined) this.#bucket.setLevel(requests.remaining, this.#clock.now());
      return inputTokens !== undefined && Number.isFinite(inputTokens) && inputTokens > 0
        ? Math.ceil(inputTokens)
        : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * Counts `request` exactly, then sets `entry`'s cost from the count and calls `enqueue`, only if the
 * entry is still queued; a failed count keeps the estimate.
 */
export function countThenEnqueue(
  counter: ExactTokenCounter,
  request: MessageRequest,
  entry: RequestEntry,
  enqueue: () => void,
): void {
  // A failed count must not strand the request outside the queue: it falls back to the estimate.
  const counted = counter.count(request).catch(() => undefined);
  void counted.then((tokens) => {
    if (entry.state !== 'queued') return;
    if (tokens !== undefined) {
      entry.cost = requestCost(tokens, entry.cost.outputTokens);
      entry.exactInputTokens = tokens;
    }
    enqueue();
  });
}
