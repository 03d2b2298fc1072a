import type { DashboardData } from './dashboardProtocol';
import { costByModel } from './priceTable';
import { cacheSavings, tokenSeries, waitsByKeyAndClass, type ClassLimits } from './usageSeries';
import { TIMELINE_SPAN_MS, type MinuteRow } from './usageTimeline';

/** What the dashboard is built from, read by the host at one instant. */
export interface DashboardSource {
  readonly nowMs: number;
  readonly rows: readonly MinuteRow[];
  readonly limits: ReadonlyMap<string, ClassLimits>;
  /** How a key is shown: its label and last four characters, never the secret. */
  readonly keyName: (keyId: string) => string;
  readonly atLimitTodayMs: number;
  readonly waitTodayMs: number;
}

/** The dashboard's figures: series for the last hour and day, and last-day tables. */
export function dashboardData(source: DashboardSource): DashboardData {
  const sinceMs = source.nowMs - TIMELINE_SPAN_MS;
  const rows = source.rows.filter((r) => r.minuteMs >= sinceMs);
  return {
    generatedAtMs: source.nowMs,
    atLimitTodayMs: source.atLimitTodayMs,
    waitTodayMs: source.waitTodayMs,
    hour: tokenSeries(rows, source.nowMs, 'hour', source.limits),
    day: tokenSeries(rows, source.nowMs, 'day', source.limits),
    waits: waitsByKeyAndClass(rows, sinceMs).map(({ keyId, ...rest }) => ({
      key: source.keyName(keyId),
      ...rest,
    })),
    cache: cacheSavings(rows, sinceMs),
    costs: costByModel(rows),
  };
}
