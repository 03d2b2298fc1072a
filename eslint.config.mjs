// Flat ESLint config: type-aware rules everywhere, and the architecture's zones (docs/architecture.md).
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ENGINE = './src/pacer/**/*';
const ENGINE_SURFACE = './src/pacer/index.@(ts)'; // a glob, as the rule wants when `from` is one
const PURE_MODELS = './src/*/model/**/*';
const ADAPTER = './src/anthropic/**/*';
const COORDINATION = './src/coordination/**/*';
const WEBVIEW = './src/chat/webview/**/*';
const USAGE_WEBVIEW = './src/usage/webview/**/*';
const NOT_SHIPPED = ['./sim/**/*', './bench/**/*', './test/**/*', './scripts/**/*'];
// The rule matches `except` globs against absolute import paths, so they are anchored here.
const absolute = (glob) => `${import.meta.dirname}/${glob.slice(2)}`;

/** Which folder may import which; each zone's message names the rule it enforces. */
const zones = [
  {
    target: ENGINE,
    from: ['./src/**/*', ...NOT_SHIPPED],
    except: [ENGINE].map(absolute),
    message: 'Zone "engine": src/pacer is the pure pacing engine and imports nothing outside src/pacer.',
  },
  {
    target: [PURE_MODELS, ADAPTER],
    from: ['./src/**/*'],
    except: [ENGINE, PURE_MODELS, ADAPTER].map(absolute),
    message:
      'Zone "pure": feature models (src/*/model) and the SDK adapter (src/anthropic) import only the engine, other models and the adapter, never the editor layer.',
  },
  {
    target: COORDINATION,
    from: ['./src/**/*'],
    except: [ENGINE_SURFACE, COORDINATION].map(absolute),
    message:
      'Zone "coordination": the shared-budget stores (src/coordination) import only the engine surface and themselves.',
  },
  {
    target: WEBVIEW,
    from: ['./src/**/*'],
    except: [WEBVIEW, './src/chat/model/**/*', './src/status/model/**/*'].map(absolute),
    message: 'Zone "webview": the chat page imports only itself and the pure chat and status models.',
  },
  {
    target: USAGE_WEBVIEW,
    from: ['./src/**/*'],
    except: [
      USAGE_WEBVIEW,
      './src/usage/model/dashboardProtocol.@(ts)',
      './src/usage/model/dashboardStrings.@(ts)',
    ].map(absolute),
    message:
      'Zone "usage webview": the usage dashboard page imports only itself, its protocol and its strings table (the figures are computed on the host).',
  },
  {
    target: './src/**/*',
    from: NOT_SHIPPED,
    message: 'Zone "shipped": nothing under src/ imports the simulator, the benchmark, tests or scripts.',
  },
  {
    target: './sim/**/*',
    from: ['./src/**/*'],
    message: 'Zone "simulator": sim/ imports nothing that ships, so it shares no code with what it tests.',
  },
  {
    target: ['./src/!(pacer)/**/*', './src/*.ts', './bench/**/*'],
    from: [ENGINE],
    except: [ENGINE_SURFACE].map(absolute),
    message: 'Zone "engine surface": outside src/pacer, import the engine from src/pacer/index.ts only.',
  },
  {
    target: './bench/**/*',
    from: ['./src/**/*'],
    except: [
      ENGINE_SURFACE,
      './src/anthropic/anthropicTransport.@(ts)',
      './src/settings/model/settings.@(ts)',
      './src/completions/model/**/*',
      './src/agent/model/**/*',
      COORDINATION,
    ].map(absolute),
    message:
      'Zone "benchmark": bench/ measures the product through the engine surface, the SDK adapter, the settings model, the completions model, the agent model and the shared-budget stores only.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'media/chat/dist/**',
      'media/usage/dist/**',
      'out/**',
      'node_modules/**',
      '.tools/**',
      '.vscode-test/**',
      'artifacts/**',
      // Caches and the unit tier's generated entry files (scripts/testUnit.ts).
      '.cache/**',
      // The demo workspace's files are sample code with deliberate bugs, not project code.
      'demo/workspace/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })] },
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    // Pure code never sees VS Code; only the editor layer (the rest of src/) imports it.
    files: [
      'src/pacer/**/*.ts',
      'src/*/model/**/*.ts',
      'src/anthropic/**/*.ts',
      'src/coordination/**/*.ts',
      'src/chat/webview/**/*.ts',
      'src/usage/webview/**/*.ts',
      'sim/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Zone "pure": only the editor layer imports vscode.' }],
          patterns: [{ group: ['vscode/*'], message: 'Zone "pure": only the editor layer imports vscode.' }],
        },
      ],
    },
  },
  {
    // The agent's tools read the workspace only through the injected port, after the path guard.
    files: ['src/agent/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'Zone "pure": only the editor layer imports vscode.' },
            ...[
              'fs',
              'node:fs',
              'fs/promises',
              'node:fs/promises',
              'child_process',
              'node:child_process',
            ].map((name) => ({
              name,
              message:
                'Zone "agent tools": src/agent/model reaches the disk and the shell only through the injected ports (workspacePort.ts), after the path guard.',
            })),
          ],
          patterns: [{ group: ['vscode/*'], message: 'Zone "pure": only the editor layer imports vscode.' }],
        },
      ],
    },
  },
  {
    files: ['src/chat/webview/**/*.ts', 'src/usage/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'sim/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
