import type { Spread } from './metrics';
import type { ScenarioRow } from './suite';

const COLUMNS = [
  'strategy',
  'done',
  'fail',
  'unfin',
  '429',
  '429 share',
  '529',
  '429 after 1st',
  'makespan',
  '×LB',
  'util',
  'int latency p50/p95/max',
  'int wait p95',
  'bg latency p50/p95',
  'attempt p50',
] as const;

const ms = (v: number | null): string => (v === null ? '–' : String(v));
const spreadText = (s: Spread, withMax: boolean): string =>
  `${ms(s.p50)}/${ms(s.p95)}${withMax ? `/${ms(s.max)}` : ''}`;
const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;

function cells(r: ScenarioRow): string[] {
  return [
    r.strategy,
    String(r.completed),
    String(r.failed),
    String(r.unfinished),
    String(r.status429),
    pct(r.share429OfResponses),
    String(r.status529),
    pct(r.share429AfterFirstResponse),
    `${(r.makespanMs / 1000).toFixed(2)} s`,
    r.makespanOverBound !== undefined ? r.makespanOverBound.toFixed(3) : '–',
    r.utilisation !== undefined ? r.utilisation.toFixed(2) : '–',
    spreadText(r.latencyMs.interactive, true),
    ms(r.waitMs.interactive.p95),
    spreadText(r.latencyMs.background, false),
    ms(r.attemptMsP50),
  ];
}

/** A Markdown table of one scenario's rows, headed by its title and lower bound. */
export function scenarioTable(title: string, rows: readonly ScenarioRow[]): string {
  const first = rows[0];
  const bound =
    first?.lowerBoundMs !== undefined ? ` (lower bound ${(first.lowerBoundMs / 1000).toFixed(2)} s` : '';
  const slot =
    first?.interactiveRefillSlotMs !== undefined
      ? `, interactive refill slot ${first.interactiveRefillSlotMs} ms)`
      : bound
        ? ')'
        : '';
  const lines = [
    `### ${title}${bound}${slot}`,
    '',
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ];
  return lines.join('\n');
}

const SUMMARY_COLUMNS = [
  'scenario',
  'strategy',
  '×LB',
  '429 (share of responses)',
  'int wait p95',
  'int refill slot',
  'int lane queue p95',
  'done/fail/unfin',
] as const;

/** One line per (scenario, strategy) of a whole run: the figures issue 12 compares. */
export function summaryTable(rows: readonly ScenarioRow[]): string {
  const line = (r: ScenarioRow): string[] => [
    r.scenario,
    r.strategy,
    r.makespanOverBound !== undefined ? r.makespanOverBound.toFixed(3) : '–',
    `${r.status429} (${pct(r.share429OfResponses)})`,
    r.waitMs.interactive.p95 === null ? '–' : `${r.waitMs.interactive.p95} ms`,
    r.interactiveRefillSlotMs === undefined ? '–' : `${r.interactiveRefillSlotMs} ms`,
    r.interactiveLaneQueueP95Ms === undefined ? '–' : `${r.interactiveLaneQueueP95Ms} ms`,
    `${r.completed}/${r.failed}/${r.unfinished}`,
  ];
  return [
    `| ${SUMMARY_COLUMNS.join(' | ')} |`,
    `|${SUMMARY_COLUMNS.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${line(r).join(' | ')} |`),
  ].join('\n');
}

/** One target check of our scheduler. */
export interface TargetCheck {
  readonly target: string;
  readonly scenario: string;
  readonly isMet: boolean;
  readonly actual: string;
}

const ALONE = [
  'steady',
  'bursty',
  'three-orgs',
  'one-org-three-keys',
  'two-models',
  'short-window',
  'background-backlog',
  'minute-real',
  'workspace-tokens',
];

/** Checks the issue's targets against `ours` rows (missing scenarios are skipped). */
export function checkTargets(rows: readonly ScenarioRow[], strategy = 'ours'): TargetCheck[] {
  const mine = new Map(rows.filter((r) => r.strategy === strategy).map((r) => [r.scenario, r]));
  const checks: TargetCheck[] = [];
  const add = (target: string, scenario: string, isMet: boolean, actual: string): void => {
    checks.push({ target, scenario, isMet, actual });
  };
  for (const [scenario, r] of mine) {
    add('every request completes', scenario, r.completed === r.requests, `${r.completed}/${r.requests}`);
    const isCompetitor = scenario === 'competitor';
    if ((ALONE.includes(scenario) || isCompetitor) && r.makespanOverBound !== undefined) {
      const limit = isCompetitor ? 1.1 : 1.03;
      add(
        `makespan ≤ ${limit} × LB`,
        scenario,
        r.makespanOverBound <= limit,
        `${r.makespanOverBound.toFixed(3)} × LB`,
      );
      const share = isCompetitor ? 0.05 : 0.01;
      add(
        `≤ ${share * 100} % of requests get a 429 after the first response`,
        scenario,
        r.share429AfterFirstResponse <= share,
        pct(r.share429AfterFirstResponse),
      );
    }
    const wait = r.waitMs.interactive.p95;
    if (wait !== null && r.interactiveRefillSlotMs !== undefined) {
      // Interactive requests that arrive together queue behind each other whatever the pacer does:
      // the bound is their own lane's refill queue, one slot when they come one at a time.
      const boundMs = Math.max(r.interactiveRefillSlotMs, r.interactiveLaneQueueP95Ms ?? 0);
      add(
        "interactive p95 wait ≤ one refill slot (its own lane's refill queue when they come together)",
        scenario,
        wait <= boundMs,
        `${wait} ms vs ${boundMs} ms`,
      );
    }
    if (scenario === 'three-orgs' && r.utilisation !== undefined)
      add(
        'three organizations reach ≥ 0.95 of the summed limits',
        scenario,
        r.utilisation >= 0.95,
        r.utilisation.toFixed(3),
      );
  }
  const one = mine.get('steady');
  const three = mine.get('one-org-three-keys');
  if (one && three)
    add(
      'keys of one organization: no more 429s than one key',
      'one-org-three-keys',
      three.status429 <= one.status429,
      `${three.status429} vs ${one.status429} (steady)`,
    );
  return checks;
}

/** The target checks as a Markdown table. */
export function targetTable(checks: readonly TargetCheck[]): string {
  return [
    '| target | scenario | met | actual |',
    '| --- | --- | --- | --- |',
    ...checks.map((c) => `| ${c.target} | ${c.scenario} | ${c.isMet ? 'yes' : '**no**'} | ${c.actual} |`),
  ].join('\n');
}
