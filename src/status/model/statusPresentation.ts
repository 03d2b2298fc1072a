import {
  type Dimension,
  DIMENSIONS,
  modelClassOf,
  type PoolSnapshot,
  type SchedulerSnapshot,
} from '../../pacer/index';

/** What the status-bar item shows, derived from a snapshot; the VS Code side only renders it. */
export interface StatusPresentation {
  readonly text: string;
  readonly severity: 'normal' | 'warning' | 'error';
  /** Markdown for the tooltip. */
  readonly tooltip: string;
  /** When set, the text contains a countdown to this time and must be refreshed each second. */
  readonly countdownToMs?: number;
  /** True when no key is stored: the item offers to add one. */
  readonly needsKey: boolean;
}

const DIMENSION_LABEL: Readonly<Record<Dimension, string>> = {
  requests: 'Requests',
  inputTokens: 'Input tokens',
  outputTokens: 'Output tokens',
  tokens: 'Total tokens',
};

/** "m:ss" (or "h:mm:ss") until `targetMs`. */
export function formatCountdown(targetMs: number, nowMs: number): string {
  const total = Math.max(0, Math.ceil((targetMs - nowMs) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

function fmt(n: number | undefined): string {
  return n === undefined ? '?' : Math.round(n).toLocaleString('en-US');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

function poolTable(pool: PoolSnapshot, nowMs: number): string {
  // Total tokens show only where the server sends them (a Workspace limit, or the sum of both).
  const shown = DIMENSIONS.filter((d) => d !== 'tokens' || pool.dimensions.tokens.limit !== undefined);
  const rows = shown.map((d) => {
    const v = pool.dimensions[d];
    const reset =
      v.resetAtMs !== undefined && v.resetAtMs > nowMs
        ? `full in ${formatCountdown(v.resetAtMs, nowMs)}`
        : 'full';
    return `| ${DIMENSION_LABEL[d]} | ${fmt(v.remaining)} / ${v.limit === undefined ? 'learning' : fmt(v.limit)} | ${reset} |`;
  });
  const state =
    pool.state === 'cooling' && pool.coolingUntilMs
      ? `cooling down for ${formatCountdown(pool.coolingUntilMs, nowMs)}`
      : pool.state === 'throttled'
        ? 'pacing (waiting for refill)'
        : pool.state === 'probing'
          ? 'learning the limits'
          : 'ok';
  const org = pool.organizationId.startsWith('key:')
    ? 'organization not known yet'
    : `org ${escapeMarkdown(pool.organizationId)}`;
  return [
    `**${escapeMarkdown(pool.modelClass)}** (${org}): ${state}${pool.queued > 0 ? `, ${pool.queued} queued` : ''}`,
    '',
    '| | Remaining / limit | Reset |',
    '|---|---:|---|',
    ...rows,
  ].join('\n');
}

/**
 * The status-bar presentation: headroom of the tightest dimension of the current model's pool,
 * queue length, a live countdown while a retry or refill wait runs, and a severity colour.
 */
export function presentStatus(snapshot: SchedulerSnapshot, model: string, nowMs: number): StatusPresentation {
  const keys = snapshot.keys;
  const queued = snapshot.queued.interactive + snapshot.queued.command + snapshot.queued.background;
  const usable = keys.filter((k) => k.state === 'ok' || k.state === 'cooling');
  const keyLines = keys.map((k) => {
    const until =
      k.untilMs !== undefined && k.untilMs > nowMs
        ? ` until ${new Date(k.untilMs).toLocaleTimeString()}`
        : '';
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
  });
  if (keys.length === 0) {
    return {
      text: '$(key) Add Claude key',
      severity: 'normal',
      tooltip: 'Claude Pacer: no API key stored. Click to add one.',
      needsKey: true,
    };
  }
  const modelClass = modelClassOf(model);
  const pools = snapshot.pools.filter((p) => p.modelClass === modelClass);
  const headrooms = pools.map((p) => p.headroom).filter((h): h is number => h !== undefined);
  const headroom = headrooms.length > 0 ? Math.max(...headrooms) : undefined;
  const waitingPool = pools.find((p) => p.state === 'cooling' || p.state === 'throttled');
  // Count down to whatever the queue waits for first: a retry or cool-down, or the next refill.
  const waits = [snapshot.nextRetryAtMs, snapshot.nextStartAtMs].filter(
    (t): t is number => t !== undefined && t > nowMs,
  );
  const countdownToMs = waits.length > 0 ? Math.min(...waits) : undefined;
  let severity: StatusPresentation['severity'] = 'normal';
  if (usable.length === 0) severity = 'error';
  else if (countdownToMs !== undefined || waitingPool) severity = 'warning';
  const parts = [usable.length === 0 ? '$(error)' : countdownToMs !== undefined ? '$(watch)' : '$(pulse)'];
  parts.push(
    usable.length === 0
      ? 'Claude: no usable key'
      : headroom === undefined
        ? 'Claude'
        : `Claude ${Math.round(headroom * 100)}%`,
  );
  if (queued > 0) parts.push(`$(list-ordered) ${queued}`);
  if (countdownToMs !== undefined) parts.push(formatCountdown(countdownToMs, nowMs));
  const tooltip = [
    '### Claude Pacer',
    '',
    ...(snapshot.pools.length === 0
      ? ['No request sent yet: limits are learned from the first response.']
      : snapshot.pools.map((p) => poolTable(p, nowMs))),
    '',
    `Queue: ${snapshot.queued.interactive} interactive, ${snapshot.queued.command} command, ${snapshot.queued.background} background; ${snapshot.inFlight} in flight.`,
    '',
    '**Keys**',
    '',
    ...keyLines,
  ].join('\n');
  return {
    text: parts.join(' '),
    severity,
    tooltip,
    needsKey: false,
    ...(countdownToMs !== undefined ? { countdownToMs } : {}),
  };
}
