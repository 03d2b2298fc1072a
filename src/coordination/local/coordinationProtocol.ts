/**
 * The local coordinator's wire format: one JSON object per line each way, every request with an id
 * its answer repeats. Requests are untrusted input (any process of this user may connect), so each
 * is checked field by field before it reaches the store; a bad line gets an error answer. Pools are
 * organization and model class only: nothing key-shaped has a field here.
 */
import {
  DIMENSIONS,
  isShareablePool,
  type CloseAnswer,
  type Cost,
  type LeaseAnswer,
  type SharedLimits,
  type SharedPoolId,
  type SharedReading,
  type SyncAnswer,
} from '../../pacer/index';

/** A line longer than this is refused unread: no honest request comes near it. */
export const MAX_LINE_CHARS = 16_384;

/** What a client asks the coordinator. */
export type CoordinatorRequest =
  | {
      readonly id: number;
      readonly op: 'lease';
      readonly pool: SharedPoolId;
      readonly cost: Cost;
      readonly limits: SharedLimits;
    }
  | {
      readonly id: number;
      readonly op: 'settle';
      readonly pool: SharedPoolId;
      readonly leaseId: string;
      readonly actual: Cost;
    }
  | { readonly id: number; readonly op: 'refund'; readonly pool: SharedPoolId; readonly leaseId: string }
  | { readonly id: number; readonly op: 'sync'; readonly pool: SharedPoolId; readonly reading: SharedReading }
  /** `isWindow`: the sender is a window that shares the budget (counted), not a probe. */
  | { readonly id: number; readonly op: 'ping'; readonly isWindow?: boolean };

/** An answer of the store, or `pong`. */
export type CoordinatorAnswer =
  | LeaseAnswer
  | CloseAnswer
  | SyncAnswer
  | {
      readonly kind: 'pong';
      readonly coordinatorId: string;
      /** Windows sharing the budget (the coordinator's and its clients'); absent from older peers. */
      readonly windowCount?: number;
    };

/** What the coordinator answers: the request's id with an answer, or an error (id null when unreadable). */
export type CoordinatorResponse =
  | { readonly id: number; readonly answer: CoordinatorAnswer }
  | { readonly id: number | null; readonly error: string };

/** A request, or why the line is not one (with its id when that much was readable). */
export type ParsedRequest =
  | { readonly ok: true; readonly request: CoordinatorRequest }
  | { readonly ok: false; readonly id: number | null; readonly error: string };

type Json = Record<string, unknown>;

/** Reads one request line; never throws. */
export function parseRequest(line: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, id: null, error: 'not JSON' };
  }
  if (!isObject(value)) return { ok: false, id: null, error: 'not an object' };
  const id = value['id'];
  if (!Number.isSafeInteger(id) || (id as number) < 0)
    return { ok: false, id: null, error: 'id must be an integer ≥ 0' };
  try {
    return { ok: true, request: requestOf(id as number, value) };
  } catch (error) {
    return { ok: false, id: id as number, error: error instanceof Error ? error.message : 'bad request' };
  }
}

function requestOf(id: number, value: Json): CoordinatorRequest {
  const op = value['op'];
  if (op === 'ping') return value['isWindow'] === true ? { id, op, isWindow: true } : { id, op };
  const pool = poolOf(value['pool']);
  switch (op) {
    case 'lease':
      return { id, op, pool, cost: costOf(value['cost'], 'cost'), limits: limitsOf(value['limits']) };
    case 'settle':
      return {
        id,
        op,
        pool,
        leaseId: leaseIdOf(value['leaseId']),
        actual: costOf(value['actual'], 'actual'),
      };
    case 'refund':
      return { id, op, pool, leaseId: leaseIdOf(value['leaseId']) };
    case 'sync':
      return { id, op, pool, reading: readingOf(value['reading']) };
    default:
      throw new Error('op must be lease, settle, refund, sync or ping');
  }
}

function poolOf(value: unknown): SharedPoolId {
  if (!isObject(value)) throw new Error('pool must be an object');
  const { organizationId, modelClass } = value;
  if (typeof organizationId !== 'string' || typeof modelClass !== 'string')
    throw new Error('pool needs organizationId and modelClass');
  const pool = { organizationId, modelClass };
  if (!isShareablePool(pool)) throw new Error('pool is not shareable');
  return pool;
}

function costOf(value: unknown, what: string): Cost {
  if (!isObject(value)) throw new Error(`${what} must be an object`);
  const cost: Partial<Record<keyof Cost, number>> = {};
  for (const d of DIMENSIONS) cost[d] = count(value[d], `${what}.${d}`);
  return cost as Cost;
}

function limitsOf(value: unknown): SharedLimits {
  if (!isObject(value)) throw new Error('limits must be an object');
  const limits: Partial<Record<keyof Cost, { perMinute: number }>> = {};
  for (const d of DIMENSIONS) {
    const limit = value[d];
    if (limit === undefined) continue;
    if (!isObject(limit)) throw new Error(`limits.${d} must be an object`);
    limits[d] = { perMinute: count(limit['perMinute'], `limits.${d}.perMinute`) };
  }
  return limits;
}

function readingOf(value: unknown): SharedReading {
  if (!isObject(value)) throw new Error('reading must be an object');
  const readAtMs = value['readAtMs'];
  if (typeof readAtMs !== 'number' || !Number.isFinite(readAtMs))
    throw new Error('reading.readAtMs must be finite');
  const source = value['sourceLeaseId'];
  const dims = value['dimensions'];
  if (!isObject(dims)) throw new Error('reading.dimensions must be an object');
  const dimensions: Partial<Record<keyof Cost, { limit?: number; remaining?: number }>> = {};
  for (const d of DIMENSIONS) {
    const dim = dims[d];
    if (dim === undefined) continue;
    if (!isObject(dim)) throw new Error(`reading.dimensions.${d} must be an object`);
    const { limit, remaining } = dim;
    dimensions[d] = {
      ...(limit !== undefined ? { limit: count(limit, `reading.dimensions.${d}.limit`) } : {}),
      ...(remaining !== undefined
        ? { remaining: count(remaining, `reading.dimensions.${d}.remaining`) }
        : {}),
    };
  }
  return { readAtMs, ...(source !== undefined ? { sourceLeaseId: leaseIdOf(source) } : {}), dimensions };
}

function leaseIdOf(value: unknown): string {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value))
    throw new Error('leaseId must be a lease number');
  return value;
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`${what} must be a finite number ≥ 0`);
  return value;
}

/** Reads one response line from the coordinator; `undefined` for anything that is not one (never throws). */
export function parseResponse(line: string): CoordinatorResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const id = value['id'];
  if (typeof value['error'] === 'string')
    return { id: Number.isSafeInteger(id) ? (id as number) : null, error: value['error'] };
  if (!Number.isSafeInteger(id)) return undefined;
  const answer = answerOf(value['answer']);
  return answer ? { id: id as number, answer } : undefined;
}

function answerOf(value: unknown): CoordinatorAnswer | undefined {
  if (!isObject(value)) return undefined;
  switch (value['kind']) {
    case 'granted': {
      const { leaseId, atMs } = value;
      return typeof leaseId === 'string' && typeof atMs === 'number'
        ? { kind: 'granted', leaseId, atMs }
        : undefined;
    }
    case 'wait': {
      const { waitMs, atMs } = value;
      return typeof waitMs === 'number' && waitMs >= 0 && typeof atMs === 'number'
        ? { kind: 'wait', waitMs, atMs }
        : undefined;
    }
    case 'done':
    case 'unknown':
    case 'applied':
    case 'stale':
    case 'down':
      return { kind: value['kind'] };
    case 'pong': {
      const { coordinatorId, windowCount } = value;
      if (typeof coordinatorId !== 'string') return undefined;
      const isCount = Number.isSafeInteger(windowCount) && (windowCount as number) >= 1;
      return { kind: 'pong', coordinatorId, ...(isCount ? { windowCount: windowCount as number } : {}) };
    }
    default:
      return undefined;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
