import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FinishedRequest } from '../../src/service/serviceEvents';
import type { DashboardData } from '../../src/usage/model/dashboardProtocol';
import { note } from './support/reportFile';
import { withSimulator } from './support/pacer';

suite('Usage and daily budgets', function () {
  this.timeout(60_000);

  test('Show Usage reports requests and tokens per key and model class, without key material', async () => {
    const { api, dispose } = await withSimulator({}, ['sk-ant-sim-itest-usage-key-7777']);
    try {
      const request = {
        model: 'claude-sonnet-4-6',
        maxTokens: 16,
        messages: [{ role: 'user' as const, content: 'usage please' }],
      };
      const results = await Promise.all(
        [1, 2].map(() => api.service.submit({ lane: 'command', request }).result),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        ['completed', 'completed'],
      );
      const report = await vscode.commands.executeCommand<string>('claudePacer.showUsage');
      const rows = report.split('\n').filter((line) => line.includes('…7777'));
      assert.ok(
        rows.some((row) => /^\| itest 1 …7777 \| sonnet-4\.x \| 2 \|/.test(row)),
        `two requests in this key's row: ${rows.join(' / ')}`,
      );
      assert.ok(!report.includes('usage-key'), 'no key material in the report');
    } finally {
      await dispose();
    }
  });

  test('Show Usage opens the dashboard panel, whose data holds the requests just made', async () => {
    const { api, dispose } = await withSimulator({}, ['sk-ant-sim-itest-dashboard-key-4242']);
    try {
      const sonnet = (data: DashboardData | undefined) =>
        data?.hour.find((s) => s.modelClass === 'sonnet-4.x');
      const sum = (values: readonly number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);
      const cost = (data: DashboardData | undefined) =>
        data?.costs.find((c) => c.model === 'claude-sonnet-4-6');
      const before = api.usageDashboard.data();
      const request = {
        model: 'claude-sonnet-4-6',
        maxTokens: 16,
        messages: [{ role: 'user' as const, content: 'dashboard please' }],
      };
      const results = await Promise.all(
        [1, 2, 3].map(() => api.service.submit({ lane: 'command', request }).result),
      );
      const usage = results.flatMap((r) => (r.status === 'completed' ? [r.usage] : []));
      assert.equal(usage.length, 3, JSON.stringify(results));
      await vscode.commands.executeCommand('claudePacer.showUsage');
      const tab = vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Claude Pacer: Usage');
      assert.ok(tab, 'the dashboard panel is open');
      const data = api.usageDashboard.lastPosted;
      assert.ok(data, 'the panel was sent its data');
      const outputTokens = sum(usage.map((u) => u.outputTokens));
      const inputTokens = sum(usage.map((u) => u.inputTokens + u.cacheCreationInputTokens));
      assert.equal(sum(sonnet(data)?.outputPerMinute) - sum(sonnet(before)?.outputPerMinute), outputTokens);
      assert.equal(sum(sonnet(data)?.inputPerMinute) - sum(sonnet(before)?.inputPerMinute), inputTokens);
      const row = data.waits.find((w) => w.key === 'itest 1 …4242' && w.modelClass === 'sonnet-4.x');
      assert.equal(row?.requests, 3, JSON.stringify(data.waits));
      assert.equal(row?.status429, 0);
      const priced = cost(data);
      assert.ok(
        priced?.costUsd !== undefined && priced.costUsd > (cost(before)?.costUsd ?? 0),
        JSON.stringify(priced),
      );
      assert.ok(!JSON.stringify(data).includes('dashboard-key'), 'no key material in the page data');
      note(`dashboard: ${outputTokens} output tokens, cost $${priced.costUsd.toFixed(6)}`);
    } finally {
      await dispose();
    }
  });

  test('waiting time counts the time before sending, not the time the answer streamed', async () => {
    // About 1 s of streaming (10 tokens at 10 per second) and no limit to wait for.
    const { api, dispose } = await withSimulator({
      reply: { minOutputTokens: 10, maxOutputTokens: 10, tokensPerSecond: 10 },
    });
    const finished: FinishedRequest[] = [];
    const subscription = api.service.onRequestFinished((f) => finished.push(f));
    try {
      const request = {
        model: 'claude-sonnet-4-6',
        maxTokens: 16,
        messages: [{ role: 'user' as const, content: 'stream slowly' }],
      };
      const startedMs = Date.now();
      const result = await api.service.submit({ lane: 'command', request }).result;
      const elapsedMs = Date.now() - startedMs;
      assert.equal(result.status, 'completed');
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(finished.length, 1);
      assert.ok(elapsedMs >= 800, `the answer streamed for a while (${elapsedMs} ms)`);
      assert.ok(
        finished[0]!.waitMs < elapsedMs / 2,
        `waited ${finished[0]!.waitMs} ms of ${elapsedMs} ms: streaming is not waiting`,
      );
      note(`waitMs ${finished[0]!.waitMs} of ${elapsedMs} ms`);
    } finally {
      subscription.dispose();
      await dispose();
    }
  });

  test('a key over its daily budget is skipped, shows as "daily budget reached", and requests fail with the reason', async () => {
    const { api, dispose } = await withSimulator({}, ['sk-ant-sim-itest-budget-key-5555']);
    try {
      const keyId = api.service.keys.list()[0]!.id;
      const request = {
        model: 'claude-sonnet-4-6',
        maxTokens: 16,
        messages: [{ role: 'user' as const, content: 'budget' }],
      };
      await api.usage.setBudget(keyId, { requestsPerDay: 1 });
      assert.equal((await api.service.submit({ lane: 'command', request }).result).status, 'completed');
      const second = await api.service.submit({ lane: 'command', request }).result;
      assert.ok(second.status === 'failed' && second.reason.kind === 'daily_budget', JSON.stringify(second));
      assert.equal(api.service.scheduler.snapshot().keys[0]?.state, 'daily_budget');
      await api.usage.setBudget(keyId, undefined);
      assert.equal((await api.service.submit({ lane: 'command', request }).result).status, 'completed');
    } finally {
      await dispose();
    }
  });
});
