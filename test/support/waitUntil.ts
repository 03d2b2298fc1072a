// One wait-until loop for every tier: node:test unit tests, the mocha suite in the extension host
// and the UI checks (which run in Node and poll the page). Node types only, so each tsconfig takes it.
import { inspect } from 'node:util';

/** Options of {@link waitUntil}. */
export interface WaitOptions<T> {
  /** What is awaited, for the timeout message ("timed out after 2000 ms waiting for <what>"). */
  readonly what: string;
  /** Real time before giving up: a safety net against hangs, not a speed bound. @default 5_000 */
  readonly timeoutMs?: number;
  /** Pause between probes; 0 probes once per event-loop turn (no timed sleep). @default 0 */
  readonly intervalMs?: number;
  /** When a probed value counts as done. @default not undefined, null or false */
  readonly isDone?: (value: T) => boolean;
}

type Done<T> = Exclude<T, undefined | null | false>;

/**
 * Probes (sync or async) until a value counts as done and returns it; on timeout throws an error
 * naming `what` and the last value probed.
 */
export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  options: WaitOptions<T> & { readonly isDone: (value: T) => boolean },
): Promise<T>;
/** Probes (sync or async) until it returns something other than undefined, null or false, and returns that. */
export async function waitUntil<T>(probe: () => T | Promise<T>, options: WaitOptions<T>): Promise<Done<T>>;
export async function waitUntil<T>(probe: () => T | Promise<T>, options: WaitOptions<T>): Promise<T> {
  const { what, timeoutMs = 5_000, intervalMs = 0, isDone = isPresent } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (isDone(value)) return value;
    if (performance.now() > deadline) {
      const last = isPresent(value) ? `; last: ${inspect(value, { depth: 3, breakLength: Infinity })}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    }
    await new Promise<void>((resolve) =>
      intervalMs > 0 ? setTimeout(resolve, intervalMs) : setImmediate(resolve),
    );
  }
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}
