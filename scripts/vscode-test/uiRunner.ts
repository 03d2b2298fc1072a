import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { type UiCheck, type UiCheckContext } from '../../test/ui/uiCheck';
import { openWorkbench } from '../../test/ui/workbench';
import { type Browser } from './browser';
import { extensionId, REPO_ROOT, SCREENSHOTS_DIR, UI_SRC_DIR } from './paths';
import { workbenchUrl } from './payload';
import { type Counts, seconds } from './report';
import { type RunDirs, workspaceCopy } from './runDir';
import { type CodeServer, userSettingsFile } from './server';

const DEFAULT_TIMEOUT_MS = 60_000;

/** Options for {@link runUiChecks}. */
export interface UiRunOptions {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly dirs: RunDirs;
  /** Added to the extension host's environment. */
  readonly extensionEnv: Readonly<Record<string, string>>;
  /** Runs only checks whose name contains this text. */
  readonly filter?: string;
}

/** Runs every check exported from `test/ui/**\/*.check.ts`, each in a fresh workbench page on its own copy of the workspace, with a screenshot of each. */
export async function runUiChecks(options: UiRunOptions): Promise<Counts> {
  const { server, dirs } = options;
  fs.rmSync(SCREENSHOTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const file of findCheckFiles(UI_SRC_DIR)) {
    const group = path.relative(UI_SRC_DIR, file).replace(/\.check\.ts$/, '');
    console.log(group);
    const { checks } = (await import(pathToFileURL(file).href)) as { checks?: readonly UiCheck[] };
    for (const check of checks ?? []) {
      if (options.filter && !check.name.includes(options.filter)) {
        counts.skipped += 1;
        continue;
      }
      const name = `${slug(group)}--${slug(check.name)}`;
      const url = workbenchUrl(server.url, server.authority, workspaceCopy(dirs, name), {
        extensionDevelopmentPath: REPO_ROOT,
        extensionEnvironment: options.extensionEnv,
      });
      const passed = await runOne(check, name, url, options.browser, dirs);
      counts[passed ? 'passed' : 'failed'] += 1;
    }
  }
  console.log(`Screenshots: ${path.relative(process.cwd(), SCREENSHOTS_DIR)}/`);
  return counts;
}

async function runOne(
  check: UiCheck,
  name: string,
  url: string,
  browser: Browser,
  dirs: RunDirs,
): Promise<boolean> {
  const page = await browser.context.newPage();
  const lines: string[] = [];
  const startedAt = performance.now();
  const context: UiCheckContext = {
    page,
    workbenchUrl: url,
    extensionId: extensionId(),
    userSettingsFile: userSettingsFile(dirs.userData),
    screenshot: async (label) => {
      await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}--${slug(label)}.png`) });
    },
    log: (message) => lines.push(message),
  };
  let failure: unknown;
  try {
    await withTimeout(
      (async () => {
        await openWorkbench(page, url);
        await check.run(context);
      })(),
      check.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
  } catch (error) {
    failure = error;
  }
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) }).catch(() => undefined);
  await page.close().catch(() => undefined);
  const took = seconds(performance.now() - startedAt);
  console.log(`  ${failure === undefined ? '✓' : '✗'} ${check.name} (${took})`);
  for (const line of lines) console.log(`      · ${line}`);
  if (failure !== undefined)
    console.log(indent(failure instanceof Error ? (failure.stack ?? failure.message) : inspect(failure)));
  return failure === undefined;
}

function findCheckFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return findCheckFiles(file);
      return entry.name.endsWith('.check.ts') ? [file] : [];
    })
    .sort();
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 12)
    .map((line) => `      ${line}`)
    .join('\n');
}
