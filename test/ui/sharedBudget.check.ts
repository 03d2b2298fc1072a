// Two workbench windows (two extension hosts of one code-server) share one budget through the local
// coordinator: each status bar shows the windows icon and their count, and the details say "All
// windows". With traffic: both windows send a burst at once to one simulator organization, once
// sharing the budget and once each on its own (the setting off), and the shared budget draws fewer 429s.
import * as assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { demoConfig, demoKeys } from '../../sim/demoConfig';
import { parseSimulatorConfig, startSimulator, type RunningSimulator } from '../../sim/simulator';
import { waitUntil } from '../support/waitUntil';
import { withExtensionEnvironment } from './chatServers';
import { readStatusBarItem, statusBarItemId, type StatusBarItemState } from './statusBarItem';
import { type UiCheck, type UiCheckContext } from './uiCheck';
import { useUserSettings } from './userSettings';
import { chooseRow, findCommand, openWorkbench, UI_TIMEOUT_MS, waitForNotification } from './workbench';

/** Waits until the status bar shows the windows icon with a count of at least two, and returns it. */
async function sharedStatus(page: Page, elementId: string): Promise<StatusBarItemState> {
  return waitUntil(() => readStatusBarItem(page, elementId), {
    what: 'the status bar to show the budget shared by two windows',
    timeoutMs: 30_000,
    intervalMs: 250,
    isDone: (s) => s.icons.includes('multiple-windows') && Number(/(\d+)\s*$/.exec(s.text)?.[1] ?? 0) >= 2,
  });
}

/** Opens the details view and returns the text of its "Budget" row, which starts with `label`. */
async function budgetRow(page: Page, label: 'All windows' | 'This window'): Promise<string> {
  await chooseRow(page, await findCommand(page, 'Claude: Show Rate-Limit Details'));
  // Case matters: "kept by this window" is in the All windows row too.
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ hasText: new RegExp(label) })
    .first();
  await row.waitFor({ timeout: 15_000 });
  const text = (await row.getAttribute('aria-label')) ?? (await row.innerText());
  await page.keyboard.press('Escape');
  return text;
}

/** The traffic check's organization and its one key (a demo key: nothing goes to SecretStorage). */
const TRAFFIC_ORG = '7e57c0de-0000-4000-8000-0000000000b2';
const TRAFFIC_KEY = 'sk-ant-sim-uicheck-shared-budget1';
/** Requests each window sends at once. */
const BURST = 8;
/**
 * 429s the shared budget may still draw: each window's first request goes before it knows the
 * key's organization (a provisional pool is never shared), so the store cannot count the other
 * window's first request, and one lease it grants may find the server's bucket one short.
 */
const SHARED_429_BOUND = 2;

/**
 * 120 requests per minute enforced over 3 s (a burst of 6, then 2 a second), so the two bursts (16
 * requests) take about 6 s; replies of 10–30 tokens at 20 a second. Every answer starts 500 ms
 * after its request arrives (`delay_headers`, as a real API's time to first byte; the request is
 * admitted after it), so the two windows' first requests, pressed at the same moment, are both
 * admitted before either answers, as they would be against the API.
 */
function startTrafficSimulator(): Promise<RunningSimulator> {
  return startSimulator({
    config: parseSimulatorConfig({
      seed: 19,
      limiterWindowSec: { requests: 3 },
      reply: { minOutputTokens: 10, maxOutputTokens: 30, tokensPerSecond: 20 },
      faults: [{ kind: 'delay_headers', delayMs: 500 }],
      organizations: [
        {
          id: TRAFFIC_ORG,
          keys: [TRAFFIC_KEY],
          limits: {
            default: {
              requestsPerMinute: 120,
              inputTokensPerMinute: 10_000_000,
              outputTokensPerMinute: 10_000_000,
            },
          },
        },
      ],
    }),
    port: 0,
  });
}

/** What one round of traffic came to. */
interface Round {
  /** Messages requests the simulator received (answered and refused). */
  readonly received: number;
  readonly answered: number;
  readonly rateLimited: number;
  /** From both Enter presses to both windows' notifications. */
  readonly elapsedMs: number;
}

/** Opens the fixture's burst command in a window and types the count into its input box, without Enter. */
async function prepareBurst(page: Page): Promise<void> {
  await chooseRow(page, await findCommand(page, 'LM Consumer: Send a Burst of Requests'));
  // The input box follows the model list; until then the widget still shows the palette's input.
  const input = page.locator('.quick-input-widget:not(.quick-input-widget-closing) input.input').first();
  await waitUntil(
    async () => !(await input.inputValue({ timeout: 1_000 }).catch(() => '>')).startsWith('>'),
    {
      what: 'the burst command to ask how many requests',
      timeoutMs: UI_TIMEOUT_MS,
      intervalMs: 100,
    },
  );
  await input.fill(String(BURST));
}

/**
 * Loads both windows on a fresh simulator, checks which budget they use, then presses Enter in both
 * at once (two people starting at the same moment) and waits for both windows' outcome.
 */
async function burstFromBoth(
  context: UiCheckContext,
  windows: readonly [Page, Page],
  sharing: 'shared' | 'independent',
): Promise<Round> {
  const { extensionId, workbenchUrl, screenshot, log } = context;
  const sim = await startTrafficSimulator();
  try {
    const env = { CLAUDE_PACER_BASE_URL: sim.url, CLAUDE_PACER_DEMO_KEYS: TRAFFIC_KEY };
    const url = withExtensionEnvironment(workbenchUrl, env);
    await Promise.all(windows.map((page) => openWorkbench(page, url)));
    const id = statusBarItemId(extensionId, 'claudePacer.status');
    if (sharing === 'shared') await Promise.all(windows.map((page) => sharedStatus(page, id)));
    else log(`${sharing}: budget of the first window: "${await budgetRow(windows[0], 'This window')}"`);
    for (const page of windows) await prepareBurst(page);
    const startedAt = performance.now();
    await Promise.all(windows.map((page) => page.keyboard.press('Enter')));
    await waitUntil(() => sim.stats().requestsByRoute['/v1/messages'] ?? 0, {
      what: 'both bursts to reach the simulator',
      isDone: (n) => n > BURST,
      timeoutMs: UI_TIMEOUT_MS,
      intervalMs: 100,
    });
    const bars = await Promise.all(windows.map((page) => readStatusBarItem(page, id)));
    log(
      `${sharing}, mid-traffic status bars: ${bars.map((s) => `"${s.text.replace(/\s+/g, ' ')}" [${s.icons.join(', ')}]`).join(' · ')}`,
    );
    for (const bar of bars)
      assert.equal(bar.icons.includes('multiple-windows'), sharing === 'shared', `status bar "${bar.text}"`);
    await screenshot(`${sharing} first window mid-traffic`, windows[0]);
    await screenshot(`${sharing} second window mid-traffic`, windows[1]);
    const endings = await Promise.all(
      windows.map((page) => waitForNotification(page, /LM Consumer: \d+ of \d+ requests completed/, 45_000)),
    );
    const elapsedMs = performance.now() - startedAt;
    for (const ending of endings)
      assert.match(ending, new RegExp(`${BURST} of ${BURST} requests completed, 0 failed`), ending);
    const messages = sim.stats().records.filter((r) => r.route === '/v1/messages');
    const round: Round = {
      received: messages.length,
      answered: messages.filter((r) => r.status === 200).length,
      rateLimited: messages.filter((r) => r.status === 429).length,
      elapsedMs,
    };
    log(
      `${sharing}: ${round.answered} answered of ${round.received} received, ${round.rateLimited} × 429, ` +
        `${(elapsedMs / 1000).toFixed(1)} s; windows: ${endings.map((e) => `"${e}"`).join(' · ')}`,
    );
    return round;
  } finally {
    await sim.close();
  }
}

export const checks: UiCheck[] = [
  {
    name: 'two windows share one budget: both status bars show the windows and their count, the details say All windows',
    timeoutMs: 120_000,
    opensWorkbench: true,
    async run({ page, workbenchUrl, extensionId, screenshot, log }) {
      const sim = await startSimulator({ config: demoConfig(), port: 0 });
      const env = { CLAUDE_PACER_BASE_URL: sim.url, CLAUDE_PACER_DEMO_KEYS: demoKeys.flat().join(',') };
      const url = withExtensionEnvironment(workbenchUrl, env);
      const second = await page.context().newPage();
      try {
        await openWorkbench(page, url);
        await openWorkbench(second, url);
        const id = statusBarItemId(extensionId, 'claudePacer.status');
        const [first, other] = [await sharedStatus(page, id), await sharedStatus(second, id)];
        log(
          `first window: "${first.text}" [${first.icons.join(', ')}]; second: "${other.text}" [${other.icons.join(', ')}]`,
        );
        assert.match(first.ariaLabel, /Claude Pacer/);
        await screenshot('first window');
        const row = await budgetRow(second, 'All windows');
        log(`details of the second window: "${row}"`);
        assert.match(row, /All windows/);
        assert.match(row, /\d+ windows · kept by (this|another) window/);
      } finally {
        await second.close();
        await sim.close();
      }
    },
  },
  {
    name: `two windows send ${BURST} requests each at once to one organization: sharing the budget draws at most ${SHARED_429_BOUND} 429s and fewer than two independent pacers, every request completes`,
    timeoutMs: 150_000,
    opensWorkbench: true,
    async run(context) {
      const second = await context.page.context().newPage();
      const windows = [context.page, second] as const;
      try {
        const shared = await burstFromBoth(context, windows, 'shared');
        const restoreSettings = useUserSettings(context.machineSettingsFile, {
          'claudePacer.coordination.shareAcrossWindows': false,
        });
        let independent: Round;
        try {
          independent = await burstFromBoth(context, windows, 'independent');
        } finally {
          restoreSettings();
        }
        for (const round of [shared, independent])
          assert.equal(round.answered, 2 * BURST, 'every request was answered once');
        assert.ok(
          shared.rateLimited <= SHARED_429_BOUND,
          `shared: ${shared.rateLimited} × 429, at most ${SHARED_429_BOUND} expected`,
        );
        assert.ok(
          shared.rateLimited < independent.rateLimited,
          `shared ${shared.rateLimited} × 429 against independent ${independent.rateLimited}`,
        );
      } finally {
        await second.close();
      }
    },
  },
];
