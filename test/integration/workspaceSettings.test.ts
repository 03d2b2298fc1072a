import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { DEFAULT_BASE_URL } from '../../src/settings/model/settings';
import { pacerApi, withSimulator } from './support/pacer';
import { waitUntil } from '../support/waitUntil';
import { note } from './support/reportFile';

/** Settings a cloned repository must not be able to set (package.json gives them application scope). */
const USER_ONLY = {
  baseUrl: '', // replaced by the listener's URL
  allowInsecureBaseUrl: true,
  'trace.logPromptBodies': true,
  model: 'claude-chosen-by-the-workspace',
  fallbackModel: 'claude-chosen-by-the-workspace',
  maxOutputTokens: 128_000,
  'agent.allowSecretFiles': true,
  'agent.preapprovedCommands': ['rm -rf', 'curl'],
  'agent.useVsCodeTools': true,
};
/** An ordinary setting in the same file: once it applies, VS Code has read the file. */
const MARKER = { key: 'headroomPercent', value: 37 };

/** A loopback listener that counts the connections it receives. */
async function countingListener(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

suite('Workspace settings cannot send keys elsewhere, pre-approve agent commands or unlock secrets', () => {
  test('a .vscode/settings.json pointing baseUrl at a loopback listener is ignored: default endpoint, no connection, marked as not applied', async () => {
    const api = await pacerApi();
    const listener = await countingListener();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a folder');
    const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
    const settings = { ...USER_ONLY, baseUrl: listener.url };
    const text = JSON.stringify(
      {
        ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [`claudePacer.${k}`, v])),
        [`claudePacer.${MARKER.key}`]: MARKER.value,
      },
      null,
      2,
    );
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    let sim: Awaited<ReturnType<typeof withSimulator>> | undefined;
    try {
      await waitUntil(
        () => vscode.workspace.getConfiguration('claudePacer').get(MARKER.key) === MARKER.value,
        { timeoutMs: 15_000, intervalMs: 20, what: 'VS Code to read the workspace settings file' },
      );
      const config = vscode.workspace.getConfiguration('claudePacer');
      for (const key of Object.keys(USER_ONLY)) {
        const inspected = config.inspect(key);
        assert.equal(inspected?.workspaceValue, undefined, `${key}: workspace value applied`);
        assert.deepEqual(config.get(key), inspected?.defaultValue, `${key}: not the default`);
      }
      assert.equal(api.service.settings.baseUrl, '');
      assert.equal(api.service.settings.allowInsecureBaseUrl, false);
      assert.equal(api.service.settings['trace.logPromptBodies'], false);
      assert.notEqual(api.service.settings.model, USER_ONLY.model);
      // Nor can it pre-approve an agent's commands or unlock secrets files.
      assert.equal(api.service.settings['agent.allowSecretFiles'], false);
      assert.deepEqual(api.service.settings['agent.preapprovedCommands'], []);
      assert.equal(api.service.settings['agent.useVsCodeTools'], false);
      if (!api.service.isDemo) assert.equal(api.service.baseUrl, DEFAULT_BASE_URL);

      // VS Code's own verdict, shown in the settings file: the workspace value is not applied.
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      const baseUrlLine = text.split('\n').findIndex((line) => line.includes('claudePacer.baseUrl'));
      const marked = await waitUntil(
        () =>
          vscode.languages
            .getDiagnostics(file)
            .find(
              (d) =>
                d.range.start.line === baseUrlLine &&
                /can only be set|cannot be applied|can only be applied/.test(d.message),
            ),
        { timeoutMs: 15_000, intervalMs: 20, what: 'a "not applied" marker on the baseUrl line' },
      );
      note(`VS Code marks the workspace baseUrl: "${marked.message}"`);

      // The user's own setting still wins over the ignored workspace value: requests and key checks go there.
      sim = await withSimulator({});
      const verified = await api.service.verifySecret('sk-ant-sim-itest-key-aaaa1111');
      assert.equal(verified.kind, 'success', JSON.stringify(verified));
      const result = await api.service.submit({
        lane: 'interactive',
        request: {
          model: api.service.settings.model,
          maxTokens: 16,
          messages: [{ role: 'user', content: 'hello' }],
        },
      }).result;
      assert.equal(result.status, 'completed', JSON.stringify(result));
      assert.equal(listener.connections(), 0, 'the workspace listener was contacted');
      note(
        `effective base URL ${api.service.baseUrl}; workspace listener connections: ${listener.connections()}`,
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await sim?.dispose();
      await vscode.workspace.fs.delete(file);
      await listener.close();
    }
  });
});
