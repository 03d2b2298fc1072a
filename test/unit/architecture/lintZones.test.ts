// The architecture's zones (eslint.config.mjs, docs/architecture.md) fail lint with the zone's name.
// Each snippet is linted with ESLint's Node API as if it sat at a real path in the tree; no file is
// written. Type-aware linting would need every snippet in a TypeScript program, so the repository's
// config is used with typescript-eslint's `disableTypeChecked` layered on top: the zone rules
// (import-x/no-restricted-paths, no-restricted-imports) are not type-aware and run unchanged.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

/** Any engine module other than its surface (src/pacer/index.ts), as an import path from src/<feature>/. */
function engineInternal(): string {
  const inner = fs
    .readdirSync(path.join(ROOT, 'src/pacer'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .sort()[0]!;
  return `../pacer/${inner.replace(/\.ts$/, '')}`;
}

/** The messages of the rules that enforce zones, for `code` placed at `file` (relative to the repository). */
async function zoneMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const CASES: ReadonlyArray<{ zone: string; file: string; code: string }> = [
  {
    zone: 'pure',
    file: 'src/pacer/x.ts',
    code: "import * as vscode from 'vscode';\nexport const v = vscode.version;\n",
  },
  { zone: 'engine', file: 'src/pacer/x.ts', code: "export * from '../status/model/statusPresentation';\n" },
  { zone: 'pure', file: 'src/chat/model/x.ts', code: "export * from '../../extension';\n" },
  { zone: 'engine surface', file: 'src/status/x.ts', code: `export * from '${engineInternal()}';\n` },
  { zone: 'shipped', file: 'src/x.ts', code: "export * from '../sim/simulator';\n" },
  { zone: 'simulator', file: 'sim/x.ts', code: "export * from '../src/pacer/index';\n" },
  { zone: 'webview', file: 'src/chat/webview/x.ts', code: "export * from '../../keys/model/apiKeyShape';\n" },
  {
    zone: 'agent tools',
    file: 'src/agent/model/x.ts',
    code: "export { readFile } from 'node:fs/promises';\n",
  },
  {
    zone: 'pure',
    file: 'src/agent/model/x.ts',
    code: "import * as vscode from 'vscode';\nexport const v = vscode.version;\n",
  },
  { zone: 'pure', file: 'src/agent/model/x.ts', code: "export * from '../../chat/answerRun';\n" },
  {
    zone: 'coordination',
    file: 'src/coordination/redis/x.ts',
    code: "export * from '../../service/pacerService';\n",
  },
  { zone: 'pure', file: 'src/coordination/redis/x.ts', code: "export { window } from 'vscode';\n" },
  { zone: 'usage webview', file: 'src/usage/webview/x.ts', code: "export * from '../model/usageSeries';\n" },
];

void describe('lint zones', () => {
  for (const { zone, file, code } of CASES) {
    void it(`reports zone "${zone}" for ${code.split('\n')[0]} in ${file}`, async () => {
      const messages = await zoneMessages(file, code);
      assert.ok(
        messages.some((m) => m.includes(`Zone "${zone}":`)),
        `expected zone "${zone}", got ${JSON.stringify(messages)}`,
      );
    });
  }

  void it('reports nothing for imports along the arrows', async () => {
    const legal: ReadonlyArray<[string, string]> = [
      ['src/status/x.ts', "export * from '../pacer/index';\nexport * from './model/statusPresentation';\n"],
      [
        'src/chat/model/x.ts',
        "export * from '../../pacer/index';\nexport * from '../../anthropic/anthropicTransport';\n",
      ],
      ['src/chat/webview/x.ts', "export * from '../model/chatProtocol';\n"],
      [
        'src/agent/model/x.ts',
        "export * from '../../pacer/index';\nimport * as path from 'node:path';\nexport const p = path.sep;\n",
      ],
      [
        'src/coordination/redis/x.ts',
        "export * from '../../pacer/index';\nexport * from './budgetScripts';\n",
      ],
      ['src/usage/webview/x.ts', "export * from '../model/dashboardProtocol';\n"],
    ];
    for (const [file, code] of legal) assert.deepEqual(await zoneMessages(file, code), [], file);
  });
});
