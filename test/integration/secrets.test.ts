import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as vscode from 'vscode';
import { adviseOnFailure } from '../../src/status/model/failureAdvice';
import type { RequestResult, SubmitOptions } from '../../src/pacer/scheduling/schedulerTypes';
import { presentStatus } from '../../src/status/model/statusPresentation';
import type { ClaudePacerApi } from '../../src/extension';
import { KeyStore } from '../../src/keys/keyStore';
import { EXTENSION_ID, contributedSettingDefaults, extensionUnderTest } from './support/extension';
import { pacerApi, withSimulator } from './support/pacer';
import { startLoopbackServer } from '../support/loopbackServer';
import { waitUntil } from '../support/waitUntil';
import { note } from './support/reportFile';
import { extensionLogFiles, leaksIn, leaksInFiles, newSecret, runFolder } from './support/secrets';

const MODEL = 'claude-sonnet-4-6';

function request(content: string): SubmitOptions['request'] {
  return { model: MODEL, maxTokens: 32, messages: [{ role: 'user', content }] };
}

/** Sets a setting globally and waits until the service applied it. */
async function setSetting(
  api: ClaudePacerApi,
  key: 'baseUrl' | 'trace.logPromptBodies' | 'allowInsecureBaseUrl',
  value: string | boolean,
): Promise<void> {
  await vscode.workspace
    .getConfiguration('claudePacer')
    .update(key, value, vscode.ConfigurationTarget.Global);
  await waitUntil(() => api.service.settings[key] === value, {
    timeoutMs: 5_000,
    intervalMs: 20,
    what: `the setting ${key}`,
  });
}

/** Everything a user or another extension could read, as text: results, messages, state, settings. */
function visibleText(api: ClaudePacerApi, extra: readonly unknown[]): string {
  const snapshot = api.service.scheduler.snapshot();
  const configuration = vscode.workspace.getConfiguration();
  const settings = Object.keys(contributedSettingDefaults(extensionUnderTest())).map((id) =>
    configuration.inspect(id),
  );
  return JSON.stringify([
    snapshot,
    presentStatus(snapshot, api.service.settings.model, Date.now()),
    api.service.keys.list(),
    api.usage.ledger.toJSON(),
    settings,
    ...extra,
  ]);
}

const REFUSAL = (url: string): string =>
  `Claude Pacer will not send your API key over plain http to ${url}. Use https, or turn on "claudePacer.allowInsecureBaseUrl" if you really mean it.`;

suite('Secrets', function () {
  this.timeout(120_000);

  teardown(async () => {
    const config = vscode.workspace.getConfiguration('claudePacer');
    for (const key of ['trace.logPromptBodies', 'allowInsecureBaseUrl', 'baseUrl'])
      await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  test('a whole session shows no key anywhere but its last four: log, settings, state, webview state, messages, errors', async () => {
    const api = await pacerApi();
    // Trace on: every level reaches the log file, and prompt bodies are logged.
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'trace');
    await setSetting(api, 'trace.logPromptBodies', true);
    const [a, b, revoked] = [newSecret('AAA1'), newSecret('BBB2'), newSecret('CCC3')];
    const secrets = [a, b, revoked];
    const probe = newSecret('PRB9');
    const { sim, dispose } = await withSimulator(
      {
        faults: [
          { kind: 'key_revoked', key: revoked, afterRequests: 1 },
          { kind: 'overloaded', times: 2 },
          { kind: 'stream_error', afterDeltas: 2, errorType: 'overloaded_error', times: 1 },
          { kind: 'connection_reset', times: 1 },
          { kind: 'ramp_limit', retryAfterSec: 1, times: 1 },
        ],
      },
      secrets,
    );
    const seen: unknown[] = [];
    const results: RequestResult[] = [];
    const submitAll = async (prompts: readonly string[]): Promise<void> => {
      const handles = prompts.map((p, i) =>
        api.service.submit({ lane: 'command', request: request(p), label: `secrets ${i}` }),
      );
      results.push(...(await Promise.all(handles.map((h) => h.result))));
    };
    try {
      // Requests on every key, through 529s, a reset, a ramp limit, an interrupted stream and a revoked key;
      // one prompt carries a key, as if pasted by the user (the trace log must show only its last four).
      await submitAll([
        'hello',
        `my key is ${a}, keep it safe`,
        ...Array.from({ length: 8 }, (_, i) => `question ${i}`),
      ]);
      assert.ok(results.some((r) => r.status === 'completed'));
      assert.ok((sim.stats().responsesByStatus['401'] ?? 0) >= 1, 'the revoked key was used and rejected');

      // Verifying a key that is not stored (Add API Key's check), and adding a key twice.
      const verified = await api.service.verifySecret(probe);
      assert.equal(verified.kind, 'failure');
      seen.push(verified);
      const duplicate = await api.service.keys.add(a, 'again').then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(duplicate instanceof Error);
      seen.push(duplicate.message, duplicate.stack);

      // The chat: its state is what the webview shows and what workspace state stores.
      const asked = await vscode.commands.executeCommand<{ status: string }>(
        'claudePacer.ask',
        'What is a token bucket?',
      );
      seen.push(asked, await vscode.commands.executeCommand('claudePacer.chatState'));

      // A hostile endpoint that echoes the Authorization header in a mid-stream error, a 400 and a 401.
      const echo = await startLoopbackServer((res, { headers, body }) => {
        const auth = headers.authorization ?? String(headers['x-api-key'] ?? '');
        if (body.includes('echo-stream')) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const frame = (event: string, data: unknown): string =>
            `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
          res.end(
            frame('message_start', {
              type: 'message_start',
              message: {
                id: 'm',
                type: 'message',
                role: 'assistant',
                content: [],
                usage: { input_tokens: 1, output_tokens: 1 },
              },
            }) +
              frame('content_block_start', {
                type: 'content_block_start',
                index: 0,
                content_block: { type: 'text', text: '' },
              }) +
              frame('content_block_delta', {
                type: 'content_block_delta',
                index: 0,
                delta: { type: 'text_delta', text: 'partial ' },
              }) +
              frame('error', {
                type: 'error',
                error: { type: 'overloaded_error', message: `upstream rejected ${auth}` },
              }),
          );
          return;
        }
        const status = body.includes('echo-400') ? 400 : 401;
        res.writeHead(status, { 'content-type': 'application/json', 'x-echo': auth });
        res.end(
          JSON.stringify({
            type: 'error',
            error: {
              type: status === 400 ? 'invalid_request_error' : 'authentication_error',
              message: `bad credentials: ${auth}`,
            },
          }),
        );
      });
      try {
        await setSetting(api, 'baseUrl', `http://127.0.0.1:${echo.port}`);
        await submitAll(['echo-stream', 'echo-400']);
        await submitAll(['echo-401']);
      } finally {
        await echo.close();
      }
      seen.push(
        ...results,
        ...results.map((r) => (r.status === 'failed' ? adviseOnFailure(r.reason).message : '')),
      );
      note(`endings: ${results.map((r) => (r.status === 'failed' ? r.reason.kind : r.status)).join(', ')}`);
      assert.ok(results.some((r) => r.status === 'failed' && r.reason.kind === 'interrupted'));
      assert.ok(results.some((r) => r.status === 'failed' && r.reason.kind === 'key_rejected'));

      // A line to find in the log file once it is flushed.
      const marker = `secrets-marker-${Date.now().toString(36)}`;
      await api.service.submit({ lane: 'command', request: request('marker'), label: marker }).result;

      // The scanner itself finds a key part, in text and in a file as UTF-16 (browser storage).
      assert.notDeepEqual(leaksIn('self-check', `x${a.slice(12, 24)}y`, secrets), []);

      // 1. Everything readable through the API: results, user messages, errors, snapshot, status bar,
      //    key index, usage (global state), chat and its stored record (workspace state), settings.
      const leaks = leaksIn('API-visible state', visibleText(api, seen), [...secrets, probe]);

      // 2. The log channel's file, and every other file of the run (logs of every process, settings,
      //    workspace and global storage, the workbench's IndexedDB), except SecretStorage's own store.
      const root = runFolder();
      if (root === undefined) {
        note('no run folder (not run by npm run test:vscode): log and storage files not scanned');
      } else {
        const logs = await waitUntil(
          () => {
            const files = extensionLogFiles(path.join(root, 'user-data', 'logs'), EXTENSION_ID);
            return files.some((f) => fs.readFileSync(f, 'utf8').includes(marker)) ? files : undefined;
          },
          { timeoutMs: 15_000, intervalMs: 20, what: 'the marker line in the log file' },
        );
        const logText = logs.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
        assert.ok(logText.includes('…AAA1'), 'the pasted key shows as …last4 in the traced prompt');
        assert.ok(logText.includes('[trace]') || logText.includes('trace'), 'trace lines reached the file');
        note(
          `log: ${logs.map((f) => path.relative(root, f)).join(', ')} (${logText.split('\n').length} lines)`,
        );
        const isSecretStore = (file: string): boolean => /Local Storage|Session Storage/.test(file);
        const scanned = [
          leaksInFiles(path.join(root, 'user-data'), [...secrets, probe], () => false),
          leaksInFiles(path.join(root, 'browser-profile'), [...secrets, probe], isSecretStore),
          ...(vscode.workspace.workspaceFolders ?? []).map((f) =>
            leaksInFiles(f.uri.fsPath, [...secrets, probe], () => false),
          ),
        ];
        leaks.push(...scanned.flatMap((s) => s.leaks));
        note(
          `scanned ${scanned.reduce((n, s) => n + s.files, 0)} files (user data, browser profile without its Local/Session Storage, workspace)`,
        );
      }
      assert.deepEqual(leaks, []);
    } finally {
      await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'info');
      await dispose();
    }
  });
  test('keys go only over https or to loopback: plain http elsewhere is refused at once, before any connection', async () => {
    const api = await pacerApi();
    await api.service.keys.removeAll();
    const secret = newSecret('HTT5');
    await api.service.keys.add(secret, 'https only');
    // http://0.0.0.0 is not loopback by name but connects to this machine: a connection attempt
    // would show up at this listener without any traffic leaving the host.
    const local = await startLoopbackServer((res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'reached' } }),
      );
    });
    try {
      const zeroUrl = `http://0.0.0.0:${local.port}/`;
      for (const url of [zeroUrl, 'http://10.255.255.1:9/']) {
        await setSetting(api, 'baseUrl', url);
        const startedAt = performance.now();
        const result = await api.service.submit({ lane: 'command', request: request('hello') }).result;
        const verified = await api.service.verifySecret(secret);
        const elapsedMs = performance.now() - startedAt;
        assert.ok(result.status === 'failed', JSON.stringify(result));
        assert.equal(result.attempts, 1);
        assert.ok(result.reason.message.endsWith(REFUSAL(url)), result.reason.message);
        assert.ok(verified.kind === 'failure' && verified.error.message === REFUSAL(url));
        assert.ok(elapsedMs < 1_000, `refused after ${Math.round(elapsedMs)} ms`);
        note(`${url}: refused in ${Math.round(elapsedMs)} ms: "${adviseOnFailure(result.reason).message}"`);
      }
      assert.equal(local.connections(), 0, 'no connection was attempted');

      // Allowed explicitly, the same URL is used.
      await setSetting(api, 'baseUrl', zeroUrl);
      await setSetting(api, 'allowInsecureBaseUrl', true);
      const allowed = await api.service.submit({ lane: 'command', request: request('hello') }).result;
      assert.ok(
        allowed.status === 'failed' && allowed.reason.message.endsWith('reached'),
        JSON.stringify(allowed),
      );
      assert.ok(local.connections() >= 1);
    } finally {
      await local.close();
      await api.service.keys.removeAll();
    }
  });

  // Fixed bug (src/service/pacerService.ts #send + src/pacer/retry/failurePolicy.ts): the refusal used to be
  // an `invalid_request` attempt error, failed as `rejected`, so the user read "Claude: The server
  // refused the request: Claude Pacer will not send your API key …" although no server was asked.
  // Now its own failure kind, insecure_endpoint, with the Open Settings action.
  test('the refusal reaches the user as its own sentence, not as a server refusal', async () => {
    const api = await pacerApi();
    await api.service.keys.removeAll();
    await api.service.keys.add(newSecret('HTT6'), 'https only');
    try {
      await setSetting(api, 'baseUrl', 'http://10.255.255.1:9/');
      const result = await api.service.submit({ lane: 'command', request: request('hello') }).result;
      assert.ok(result.status === 'failed');
      assert.equal(adviseOnFailure(result.reason).message, REFUSAL('http://10.255.255.1:9/'));
      assert.ok(adviseOnFailure(result.reason).actions.includes('openSettings'));
    } finally {
      await api.service.keys.removeAll();
    }
  });
  // The index parser (parseIndex in src/keys/keyStore.ts) is module-private and imports
  // vscode, so Node cannot test it; here it runs behind a KeyStore on a SecretStorage stand-in.
  test('the stored-key index is read totally: any stored text gives only well-formed keys that have a secret', async () => {
    const entry = fc.record(
      {
        id: fc.oneof(fc.constantFrom('k1', 'k2', '__proto__', 'constructor', ''), fc.string(), fc.integer()),
        label: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        last4: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(undefined)),
        addedAtMs: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    const wellFormed = fc.record({
      id: fc.constantFrom('k1', 'k2', '__proto__', 'constructor', ''),
      label: fc.string(),
      last4: fc.string({ maxLength: 4 }),
      addedAtMs: fc.nat(),
    });
    const index = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .array(fc.oneof(wellFormed, wellFormed, entry, fc.anything()), { maxLength: 6 })
        .map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '',
        'null',
        '{}',
        '[',
        '[null]',
        '{"__proto__":{"polluted":true}}',
        '[{"__proto__":{"id":"x"}}]',
      ),
    );
    let keysSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        index,
        fc.subarray(['k1', 'k2', '__proto__', 'constructor', '']),
        async (raw, withSecret) => {
          const values = new Map<string, string>([['claudePacer.keys', raw]]);
          for (const id of withSecret) values.set(`claudePacer.key.${id}`, `sk-ant-sim-index-${id}-0000`);
          const changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
          const storage: vscode.SecretStorage = {
            get: (key) => Promise.resolve(values.get(key)),
            store: (key, value) => Promise.resolve(void values.set(key, value)),
            delete: (key) => Promise.resolve(void values.delete(key)),
            onDidChange: changed.event,
          };
          const store = new KeyStore(storage);
          try {
            await store.load();
            for (const key of store.list()) {
              assert.equal(typeof key.id, 'string');
              assert.equal(typeof key.label, 'string');
              assert.equal(typeof key.last4, 'string');
              assert.ok(store.secretFor(key.id), `key ${key.id} listed without a secret`);
              keysSeen++;
            }
            assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'prototype pollution');
          } finally {
            store.dispose();
            changed.dispose();
          }
        },
      ),
      { numRuns: 300 },
    );
    note(`${keysSeen} well-formed keys read from 300 random indexes`);
    assert.ok(keysSeen > 0);
  });
});
