/**
 * The usage dashboard page. Data comes only from the host, validated with parseHostToDashboard;
 * every text is set with textContent or an attribute; charts are drawn by uPlot on canvases that
 * screen readers skip, each with a text summary and a table of the same figures.
 */
import 'uplot/dist/uPlot.min.css';
import '../../../media/usage/dashboard.css';
import { parseHostToDashboard, type DashboardData, type DashboardToHost } from '../model/dashboardProtocol';
import { dashboardStringsFromJson, dashboardText, type DashboardStrings } from '../model/dashboardStrings';
import { el, table } from './dom';
import { formatCount, themeColours, tokenChart } from './tokenChart';

interface VsCodeApi {
  postMessage(message: DashboardToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const strings: DashboardStrings = dashboardStringsFromJson(app.dataset['strings']);
const sections = document.getElementById('sections')!;
const summary = document.getElementById('summary')!;
let current: DashboardData | undefined;
let charts: Array<{ destroy(): void }> = [];

function seconds(ms: number, digits = 0): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}

function usd(value: number | undefined): string {
  return value === undefined ? strings.noPrice : `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

function section(title: string, ...children: Node[]): HTMLElement {
  return el('section', { class: 'panel-section' }, el('h2', {}, title), ...children);
}

function render(data: DashboardData): void {
  summary.textContent = dashboardText(
    strings,
    'summaryToday',
    seconds(data.atLimitTodayMs),
    seconds(data.waitTodayMs, 1),
  );
  const width = Math.max(280, Math.min(900, sections.clientWidth - 24));
  const colours = themeColours();
  for (const chart of charts) chart.destroy();
  charts = [];
  const parts: Node[] = [];
  if (data.day.length === 0) parts.push(el('p', { class: 'empty' }, strings.noData));
  const windows = [
    { all: data.hour, title: 'tokensHourTitle', byHour: false },
    { all: data.day, title: 'tokensDayTitle', byHour: true },
  ] as const;
  for (const { all, title, byHour } of windows) {
    for (const series of all) {
      const made = tokenChart(
        series,
        dashboardText(strings, title, series.modelClass),
        byHour,
        strings,
        colours,
        width,
      );
      charts.push(made.chart);
      parts.push(made.figure);
    }
  }
  if (data.waits.length > 0)
    parts.push(
      section(
        strings.waitsTitle,
        table(
          strings.waitsTitle,
          [
            strings.columnKey,
            strings.columnModelClass,
            strings.columnRequests,
            strings.columnWaited,
            strings.columnWaiting,
            strings.column429,
          ],
          data.waits.map((w) => [
            w.key,
            w.modelClass,
            formatCount(w.requests),
            formatCount(w.waits),
            seconds(w.waitMs, 1),
            formatCount(w.status429),
          ]),
          2,
        ),
      ),
    );
  if (data.cache.length > 0)
    parts.push(
      section(
        strings.cacheTitle,
        table(
          strings.cacheTitle,
          [
            strings.columnModelClass,
            strings.columnCacheReads,
            strings.columnSavedItpm,
            strings.columnCountedItpm,
          ],
          data.cache.map((c) => [
            c.modelClass,
            formatCount(c.cacheReadTokens),
            formatCount(c.itpmTokensSaved),
            formatCount(c.itpmTokensCounted),
          ]),
        ),
      ),
    );
  if (data.costs.length > 0)
    parts.push(
      section(
        strings.costTitle,
        table(
          strings.costTitle,
          [
            strings.columnModel,
            strings.columnInput,
            strings.columnCacheWrites,
            strings.columnCacheReads,
            strings.columnOutput,
            strings.columnCost,
            strings.columnCacheSaved,
          ],
          data.costs.map((c) => [
            c.model,
            formatCount(c.inputTokens),
            formatCount(c.cacheWriteTokens),
            formatCount(c.cacheReadTokens),
            formatCount(c.outputTokens),
            usd(c.costUsd),
            c.costUsd === undefined ? '' : usd(c.cacheSavedUsd),
          ]),
        ),
        el('p', { class: 'note' }, strings.costNote),
      ),
    );
  sections.replaceChildren(...parts);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostToDashboard(event.data);
  if (!message) return;
  current = message.data;
  render(current);
});

// A theme change repaints the canvases in its colours (VS Code swaps the body's classes).
new MutationObserver(() => {
  if (current) render(current);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

document
  .getElementById('copy-markdown')!
  .addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
document
  .getElementById('open-markdown')!
  .addEventListener('click', () => vscode.postMessage({ type: 'openMarkdown' }));
vscode.postMessage({ type: 'ready' });
