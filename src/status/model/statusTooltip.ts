import {
  DIMENSIONS,
  type Dimension,
  type KeySnapshot,
  type PoolSnapshot,
  type SchedulerSnapshot,
} from '../../pacer/index';
import { formatCountdown } from './countdown';
import { ENGLISH, type Localize } from './localize';
import { describeWait, type RequestWait } from './waitDescription';

const DIMENSION_LABEL: Readonly<Record<Dimension, (t: Localize) => string>> = {
  requests: (t) => t('Requests'),
  inputTokens: (t) => t('Input tokens'),
  outputTokens: (t) => t('Output tokens'),
  tokens: (t) => t('Total tokens'),
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

function organizationText(
  organizationId: string | undefined,
  keys: readonly KeySnapshot[],
  t: Localize,
): string {
  if (organizationId === undefined || organizationId.startsWith(PROVISIONAL_ORG_PREFIX)) {
    const key = keys.find((k) => `${PROVISIONAL_ORG_PREFIX}${k.id}` === organizationId);
    return key
      ? t('organization not known yet (key {0})', escapeMarkdown(key.label))
      : t('organization not known yet');
  }
  return t('organization {0}', escapeMarkdown(organizationId));
}

function poolTable(pool: PoolSnapshot, keys: readonly KeySnapshot[], isNext: boolean, t: Localize): string {
  // Total tokens show only where the server sends them (a Workspace limit, or the sum of both).
  const shown = DIMENSIONS.filter((d) => d !== 'tokens' || pool.dimensions.tokens.limit !== undefined);
  const rows = shown.map((d) => {
    const v = pool.dimensions[d];
    const share =
      v.limit !== undefined && v.capacity > 0 ? `${Math.round((v.remaining / v.capacity) * 100)}%` : '';
    return `| ${DIMENSION_LABEL[d](t)} | ${fmt(v.remaining)} / ${v.limit === undefined ? t('learning') : fmt(v.limit)} | ${share} |`;
  });
  const state =
    pool.state === 'cooling'
      ? t('cooling down after a rate-limit answer')
      : pool.state === 'throttled'
        ? t('pacing (waiting for refill)')
        : t('ok');
  return [
    `**${escapeMarkdown(pool.modelClass)}** · ${organizationText(pool.organizationId, keys, t)}${isNext ? ` · ${t('**next request**')}` : ''}: ${state}${pool.queued > 0 ? `, ${t('{0} queued', pool.queued)}` : ''}`,
    '',
    `| | ${t('Remaining / limit')} | ${t('Left')} |`,
    '|---|---:|---:|',
    ...rows,
  ].join('\n');
}

function nextRequestLine(
  snapshot: SchedulerSnapshot,
  model: string,
  isQueueEmpty: boolean,
  nowMs: number,
  t: Localize,
): string {
  const next = snapshot.next;
  if (!next) return t('**Next request** ({0}): no usable key.', escapeMarkdown(model));
  const pool = nextPoolOf(snapshot, next.modelClass);
  const organization = organizationText(
    pool?.organizationId ?? snapshot.keys.find((k) => k.id === next.keyId)?.organizationId,
    snapshot.keys,
    t,
  );
  const where = `${escapeMarkdown(next.modelClass)} · ${organization} · ${t('key {0}', escapeMarkdown(next.keyLabel))}`;
  const left =
    pool?.headroom !== undefined && hasKnownLimits(pool)
      ? t('{0}% left', Math.round(pool.headroom * 100))
      : t('limits learned from its first response');
  // With work queued, the queue line below says when things start; a second countdown would contradict it.
  const when = !isQueueEmpty
    ? ''
    : next.waitMs <= 0
      ? `, ${t('starts at once')}`
      : Number.isFinite(next.waitMs)
        ? `, ${t('would wait {0}', formatCountdown(nowMs + next.waitMs, nowMs))}`
        : `, ${t('waits for an answer in flight')}`;
  return t('**Next request** ({0}): {1} — {2}{3}.', escapeMarkdown(model), where, left, when);
}

function keyLine(k: KeySnapshot, nowMs: number, t: Localize): string {
  const until =
    k.untilMs !== undefined && k.untilMs > nowMs
      ? ` ${t('until {0}', new Date(k.untilMs).toLocaleTimeString())}`
      : '';
  const state =
    k.state === 'ok'
      ? t('ok')
      : k.state === 'cooling'
        ? `${t('cooling')}${until}`
        : k.state === 'rejected'
          ? t('rejected')
          : k.state === 'spend_limit'
            ? `${t('spend cap reached')}${until}`
            : t('billing problem');
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
  t: Localize = ENGLISH,
): string {
  const queued = snapshot.queued.interactive + snapshot.queued.command + snapshot.queued.background;
  const nextPoolId = snapshot.next?.poolId;
  const pools = snapshot.pools.filter(hasKnownLimits);
  const learning = snapshot.pools.filter((p) => !pools.includes(p) && p.inFlight + p.queued > 0);
  return [
    '### Claude Pacer',
    '',
    nextRequestLine(snapshot, model, queued === 0, nowMs, t),
    '',
    ...(headWait ? [t('**Queue:** {0}', describeWait(headWait, nowMs, t)), ''] : []),
    ...(pools.length === 0 && learning.length === 0
      ? [t('No response yet: limits are learned from the first response.')]
      : []),
    ...pools.flatMap((p) => [poolTable(p, snapshot.keys, p.id === nextPoolId, t), '']),
    ...learning.map(
      (p) =>
        `**${escapeMarkdown(p.modelClass)}** · ${organizationText(p.organizationId, snapshot.keys, t)}: ${t('first request under way, learning the limits')}`,
    ),
    '',
    t(
      'Queue: {0} interactive, {1} command, {2} background; {3} in flight.',
      snapshot.queued.interactive,
      snapshot.queued.command,
      snapshot.queued.background,
      snapshot.inFlight,
    ),
    '',
    t('**Keys**'),
    '',
    ...snapshot.keys.map((k) => keyLine(k, nowMs, t)),
  ].join('\n');
}
