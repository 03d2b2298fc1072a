import {
  DIMENSIONS,
  type Dimension,
  type KeySnapshot,
  type PoolSnapshot,
  type SchedulerSnapshot,
} from '../../pacer/index';
import { formatCountdown } from './countdown';
import { describeWait, type RequestWait } from './waitDescription';

const DIMENSION_LABEL: Readonly<Record<Dimension, string>> = {
  requests: 'Requests',
  inputTokens: 'Input tokens',
  outputTokens: 'Output tokens',
  tokens: 'Total tokens',
};

/** The engine names a key's organization `key:<id>` until a response reveals the real one. */
const PROVISIONAL_ORG_PREFIX = 'key:';

function fmt(n: number | undefined): string {
  return n === undefined ? '?' : Math.round(n).toLocaleString('en-US');
}

/** Escapes Markdown so a key label or organization id cannot inject links or formatting. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** True when a pool has a known limit: before the first response (and with no preset) it has none to show. */
export function hasKnownLimits(pool: PoolSnapshot): boolean {
  return Object.values(pool.dimensions).some((d) => d.limit !== undefined);
}

/** The pool the snapshot's next request would use, when it has one of `modelClass` yet. */
export function nextPoolOf(snapshot: SchedulerSnapshot, modelClass: string): PoolSnapshot | undefined {
  const next = snapshot.next;
  if (!next || next.modelClass !== modelClass || next.poolId === undefined) return undefined;
  return snapshot.pools.find((p) => p.id === next.poolId);
}

function organizationText(organizationId: string | undefined, keys: readonly KeySnapshot[]): string {
  if (organizationId === undefined || organizationId.startsWith(PROVISIONAL_ORG_PREFIX)) {
    const key = keys.find((k) => `${PROVISIONAL_ORG_PREFIX}${k.id}` === organizationId);
    return key
      ? `organization not known yet (key ${escapeMarkdown(key.label)})`
      : 'organization not known yet';
  }
  return `organization ${escapeMarkdown(organizationId)}`;
}

function poolTable(pool: PoolSnapshot, keys: readonly KeySnapshot[], isNext: boolean): string {
  // Total tokens show only where the server sends them (a Workspace limit, or the sum of both).
  const shown = DIMENSIONS.filter((d) => d !== 'tokens' || pool.dimensions.tokens.limit !== undefined);
  const rows = shown.map((d) => {
    const v = pool.dimensions[d];
    const share =
      v.limit !== undefined && v.capacity > 0 ? `${Math.round((v.remaining / v.capacity) * 100)}%` : '';
    return `| ${DIMENSION_LABEL[d]} | ${fmt(v.remaining)} / ${v.limit === undefined ? 'learning' : fmt(v.limit)} | ${share} |`;
  });
  const state =
    pool.state === 'cooling'
      ? 'cooling down after a rate-limit answer'
      : pool.state === 'throttled'
        ? 'pacing (waiting for refill)'
        : 'ok';
  return [
    `**${escapeMarkdown(pool.modelClass)}** · ${organizationText(pool.organizationId, keys)}${isNext ? ' · **next request**' : ''}: ${state}${pool.queued > 0 ? `, ${pool.queued} queued` : ''}`,
    '',
    '| | Remaining / limit | Left |',
    '|---|---:|---:|',
    ...rows,
  ].join('\n');
}

function nextRequestLine(
  snapshot: SchedulerSnapshot,
  model: string,
  isQueueEmpty: boolean,
  nowMs: number,
): string {
  const next = snapshot.next;
  if (!next) return `**Next request** (${escapeMarkdown(model)}): no usable key.`;
  const pool = nextPoolOf(snapshot, next.modelClass);
  const organization = organizationText(
    pool?.organizationId ?? snapshot.keys.find((k) => k.id === next.keyId)?.organizationId,
    snapshot.keys,
  );
  const where = `${escapeMarkdown(next.modelClass)} · ${organization} · key ${escapeMarkdown(next.keyLabel)}`;
  const left =
    pool?.headroom !== undefined && hasKnownLimits(pool)
      ? `${Math.round(pool.headroom * 100)}% left`
      : 'limits learned from its first response';
  // With work queued, the queue line below says when things start; a second countdown would contradict it.
  const when = !isQueueEmpty
    ? ''
    : next.waitMs <= 0
      ? ', starts at once'
      : Number.isFinite(next.waitMs)
        ? `, would wait ${formatCountdown(nowMs + next.waitMs, nowMs)}`
        : ', waits for an answer in flight';
  return `**Next request** (${escapeMarkdown(model)}): ${where} — ${left}${when}.`;
}

function keyLine(k: KeySnapshot, nowMs: number): string {
  const until =
    k.untilMs !== undefined && k.untilMs > nowMs ? ` until ${new Date(k.untilMs).toLocaleTimeString()}` : '';
  const state =
    k.state === 'ok'
      ? 'ok'
      : k.state === 'cooling'
        ? `cooling${until}`
        : k.state === 'rejected'
          ? 'rejected'
          : k.state === 'spend_limit'
            ? `spend cap reached${until}`
            : 'billing problem';
  return `- ${escapeMarkdown(k.label)} …${escapeMarkdown(k.last4)}: ${state}`;
}

/**
 * The hover: where the next request goes, the queue's first wait (worded as its banner words
 * it), each pool with a known limit (none before the first response), and the keys.
 */
export function statusTooltip(
  snapshot: SchedulerSnapshot,
  model: string,
  headWait: RequestWait | undefined,
  nowMs: number,
): string {
  const queued = snapshot.queued.interactive + snapshot.queued.command + snapshot.queued.background;
  const nextPoolId = snapshot.next?.poolId;
  const pools = snapshot.pools.filter(hasKnownLimits);
  const learning = snapshot.pools.filter((p) => !pools.includes(p) && p.inFlight + p.queued > 0);
  return [
    '### Claude Pacer',
    '',
    nextRequestLine(snapshot, model, queued === 0, nowMs),
    '',
    ...(headWait ? [`**Queue:** ${describeWait(headWait, nowMs)}`, ''] : []),
    ...(pools.length === 0 && learning.length === 0
      ? ['No response yet: limits are learned from the first response.']
      : []),
    ...pools.flatMap((p) => [poolTable(p, snapshot.keys, p.id === nextPoolId), '']),
    ...learning.map(
      (p) =>
        `**${escapeMarkdown(p.modelClass)}** · ${organizationText(p.organizationId, snapshot.keys)}: first request under way, learning the limits`,
    ),
    '',
    `Queue: ${snapshot.queued.interactive} interactive, ${snapshot.queued.command} command, ${snapshot.queued.background} background; ${snapshot.inFlight} in flight.`,
    '',
    '**Keys**',
    '',
    ...snapshot.keys.map((k) => keyLine(k, nowMs)),
  ].join('\n');
}
