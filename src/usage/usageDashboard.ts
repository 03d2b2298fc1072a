import * as vscode from 'vscode';
import { pageAssets } from '../webviewHost/pageAssets';
import type { PacerService } from '../service/pacerService';
import { dashboardHtml } from './dashboardHtml';
import { localizedDashboardStrings } from './dashboardPageStrings';
import { dashboardData } from './model/dashboardData';
import { parseDashboardMessage, type DashboardData, type DashboardToHost } from './model/dashboardProtocol';
import { limitsByClass } from './model/usageSeries';
import { lastDays } from './model/usageLedger';
import type { UsageTracker } from './usageTracker';

/** View type of the dashboard panel. */
const DASHBOARD_VIEW_TYPE = 'claudePacer.usageDashboard';
/** Refreshes are coalesced to at most one per this interval while usage changes. */
const REFRESH_MS = 1000;

/** What the panel's buttons do with the Markdown report. */
export interface MarkdownActions {
  readonly open: () => Promise<void>;
  readonly copy: () => Promise<void>;
}

/**
 * The "Claude Pacer: Usage" panel: one at a time, revealed when shown again. Data is computed on
 * the host and posted whole; page messages are validated and anything else is ignored.
 */
export class UsageDashboard implements vscode.Disposable {
  readonly #extensionUri: vscode.Uri;
  readonly #tracker: UsageTracker;
  readonly #service: PacerService;
  readonly #markdown: MarkdownActions;
  #panel: vscode.WebviewPanel | undefined;
  #subscriptions: vscode.Disposable[] = [];
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #lastPosted: DashboardData | undefined;

  constructor(
    extensionUri: vscode.Uri,
    tracker: UsageTracker,
    service: PacerService,
    markdown: MarkdownActions,
  ) {
    this.#extensionUri = extensionUri;
    this.#tracker = tracker;
    this.#service = service;
    this.#markdown = markdown;
  }

  /** The last data message sent to the page (for tests and the UI check). */
  get lastPosted(): DashboardData | undefined {
    return this.#lastPosted;
  }

  /** The figures as of now. */
  data(nowMs = Date.now()): DashboardData {
    const today = lastDays(nowMs, new Date(nowMs).getTimezoneOffset(), 1);
    const waitTodayMs = this.#tracker.ledger
      .summary(today)
      .reduce((sum, row) => sum + row.counters.waitMs, 0);
    return dashboardData({
      nowMs,
      rows: this.#tracker.timeline.rows(0),
      limits: limitsByClass(this.#service.scheduler.snapshot()),
      keyName: (keyId) => this.#tracker.keyName(keyId),
      atLimitTodayMs: this.#tracker.atLimitMs(today, nowMs),
      waitTodayMs,
    });
  }

  /** Opens the panel, or reveals it and refreshes its figures; returns the data sent. */
  show(): DashboardData {
    if (this.#panel) {
      this.#panel.reveal();
      return this.#post();
    }
    const assets = vscode.Uri.joinPath(this.#extensionUri, 'media', 'usage', 'dist');
    const strings = localizedDashboardStrings();
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      strings.pageTitle,
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [assets],
      },
    );
    this.#panel = panel;
    const webview = panel.webview;
    webview.html = dashboardHtml({ ...pageAssets(webview, assets, 'dashboard'), strings });
    this.#subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseDashboardMessage(raw);
        if (message) void this.#handle(message);
      }),
      this.#tracker.onDidChange(() => this.#scheduleRefresh()),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.#post();
      }),
      panel.onDidDispose(() => this.#disconnect()),
    ];
    return this.#post();
  }

  async #handle(message: DashboardToHost): Promise<void> {
    if (message.type === 'ready') this.#post();
    else if (message.type === 'copyMarkdown') await this.#markdown.copy();
    else await this.#markdown.open();
  }

  #scheduleRefresh(): void {
    this.#refreshTimer ??= setTimeout(() => {
      this.#refreshTimer = undefined;
      if (this.#panel?.visible) this.#post();
    }, REFRESH_MS);
  }

  #post(): DashboardData {
    const data = this.data();
    this.#lastPosted = data;
    void this.#panel?.webview.postMessage({ type: 'data', data });
    return data;
  }

  #disconnect(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
    for (const s of this.#subscriptions) s.dispose();
    this.#subscriptions = [];
    this.#panel = undefined;
  }

  dispose(): void {
    const panel = this.#panel;
    this.#disconnect();
    panel?.dispose();
  }
}
