/**
 * One tokens-per-minute chart (uPlot) of a model class, with its limits as dashed lines, a text
 * summary for screen readers (the canvas is `aria-hidden`) and the same figures as a table.
 */
import uPlot from 'uplot';
import type { ClassSeries } from '../model/dashboardProtocol';
import { dashboardText, type DashboardStrings } from '../model/dashboardStrings';
import { el, table } from './dom';

/** Chart colours, read from the theme's CSS variables (a canvas cannot use `var()`). */
export interface ChartColours {
  readonly foreground: string;
  readonly grid: string;
  readonly input: string;
  readonly output: string;
}

/** The current theme's colours. */
export function themeColours(): ChartColours {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: read('--vscode-foreground', '#cccccc'),
    grid: read('--vscode-editorWidget-border', '#454545'),
    input: read('--vscode-charts-blue', '#3794ff'),
    output: read('--vscode-charts-orange', '#d18616'),
  };
}

/** Formats whole numbers in the page's language. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString(document.documentElement.lang || undefined);
}

function timeLabel(ms: number, byHour: boolean): string {
  const options: Intl.DateTimeFormatOptions = byHour
    ? { hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' }
    : { hour: '2-digit', minute: '2-digit' };
  return new Date(ms).toLocaleString(document.documentElement.lang || undefined, options);
}

/** A figure: title, summary, chart and its table, for one class over one window; `destroy` the chart before dropping it (uPlot listens on the window). */
export function tokenChart(
  series: ClassSeries,
  title: string,
  byHour: boolean,
  strings: DashboardStrings,
  colours: ChartColours,
  width: number,
): { figure: HTMLElement; chart: uPlot } {
  const peak = (values: readonly number[]): string => formatCount(Math.max(0, ...values));
  const limit = (value: number | undefined): string =>
    value === undefined ? strings.limitUnknown : formatCount(value);
  const summary = dashboardText(
    strings,
    'tokensSummary',
    series.modelClass,
    peak(series.inputPerMinute),
    peak(series.outputPerMinute),
    limit(series.inputLimit),
    limit(series.outputLimit),
  );
  const plot = el('div', { class: 'chart', 'aria-hidden': 'true' });
  const figure = el(
    'figure',
    { class: 'token-chart' },
    el('figcaption', {}, title),
    el('p', { class: 'chart-summary' }, summary),
    plot,
  );
  const flat = (value: number | undefined): Array<number | null> => series.startsMs.map(() => value ?? null);
  const data: uPlot.AlignedData = [
    series.startsMs.map((ms) => ms / 1000),
    series.inputPerMinute,
    series.outputPerMinute,
    flat(series.inputLimit),
    flat(series.outputLimit),
  ];
  const axis = {
    stroke: colours.foreground,
    grid: { stroke: colours.grid, width: 1 },
    ticks: { stroke: colours.grid },
  };
  // Input and output each on their own axis from zero, so each limit line sits at its own scale:
  // a 400,000 output limit does not flatten a 20,000 input limit.
  const fromZero: uPlot.Scale.Range = (_self, _min, max) => [0, Math.max(1, max * 1.05)];
  const line = (
    label: string,
    stroke: string,
    scale: string,
    isLimit: boolean,
    show = true,
  ): uPlot.Series => ({
    label,
    stroke,
    scale,
    width: isLimit ? 1 : 2,
    ...(isLimit ? { dash: [6, 4] } : {}),
    points: { show: false },
    show,
  });
  const chart = new uPlot(
    {
      width,
      height: 200,
      scales: { x: { time: true }, in: { range: fromZero }, out: { range: fromZero } },
      axes: [
        axis,
        { ...axis, scale: 'in', size: 76, stroke: colours.input },
        { ...axis, scale: 'out', side: 1, size: 76, stroke: colours.output, grid: { show: false } },
      ],
      series: [
        {},
        line(strings.inputSeries, colours.input, 'in', false),
        line(strings.outputSeries, colours.output, 'out', false),
        line(strings.inputLimit, colours.input, 'in', true, series.inputLimit !== undefined),
        line(strings.outputLimit, colours.output, 'out', true, series.outputLimit !== undefined),
      ],
      legend: { show: true },
    },
    data,
    plot,
  );
  const rows = series.startsMs.map((ms, i) => [
    timeLabel(ms, byHour),
    formatCount(series.inputPerMinute[i] ?? 0),
    formatCount(series.outputPerMinute[i] ?? 0),
  ]);
  figure.append(
    el(
      'details',
      {},
      el('summary', {}, strings.showTable),
      table(title, [strings.tableTime, strings.inputSeries, strings.outputSeries], rows),
    ),
  );
  return { figure, chart };
}
