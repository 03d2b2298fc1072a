import type { KeyPool } from '../keys/keyPool';
import type { PoolRegistry } from '../limits/poolRegistry';
import { DIMENSION_WORDS } from '../limits/dimensions';
import { failureFrom, type RequestEntry } from './requestEntry';
import type { FailureReason } from './schedulerTypes';

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Why a request can go nowhere: no key, too large for a limit, or every key blocked (and how). */
export function noPlanReason(
  entry: RequestEntry,
  keys: KeyPool,
  pools: PoolRegistry,
  isOutputReserved: boolean,
  nowMs: number,
): FailureReason {
  const usable = keys.usableKeys(nowMs);
  if (keys.size === 0)
    return failureFrom('no_keys', 'No Claude API key is stored. Add one to send requests.');
  if (usable.length > 0) {
    const tooBig = pools.poolFor(usable[0]!.id, entry.modelClass).neverFits(entry.cost, isOutputReserved);
    if (tooBig) {
      const unit = DIMENSION_WORDS[tooBig.dimension].replace(' per minute', '');
      return {
        kind: 'never_fits',
        message: `This request needs ${fmt(tooBig.needed)} ${unit}; your limit is ${fmt(tooBig.limit)} per minute, so it can never be sent. Shorten it or raise the limit.`,
        limit: { dimension: tooBig.dimension, needed: tooBig.needed, perMinute: tooBig.limit },
      };
    }
  }
  const blocks = keys
    .describe(nowMs)
    .map((k) => k.block)
    .filter((b) => b !== undefined);
  const spend = blocks.find((b) => b.kind === 'spend_limit');
  if (spend) {
    return {
      kind: 'spend_limit',
      message: spend.reason,
      ...(spend.untilMs !== undefined ? { resumesAtMs: spend.untilMs } : {}),
      ...(entry.lastError ? { lastError: entry.lastError } : {}),
    };
  }
  const budget = blocks.find((b) => b.kind === 'daily_budget');
  if (budget) {
    return {
      kind: 'daily_budget',
      message: `Every usable key has reached its daily budget (${budget.reason}).`,
      ...(budget.untilMs !== undefined ? { resumesAtMs: budget.untilMs } : {}),
    };
  }
  if (blocks.some((b) => b.kind === 'billing')) {
    return failureFrom(
      'billing',
      'Anthropic reported a billing problem for every usable key.',
      entry.lastError,
    );
  }
  return failureFrom(
    'key_rejected',
    'Every stored API key was rejected by the server (revoked, expired or without permission).',
    entry.lastError,
  );
}
