import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { type UiCheck, type UiCheckContext } from '../../test/ui/uiCheck';
import { type Page } from 'playwright-core';
import { closeQuickInput, openWorkbench, takePhaseTimes } from '../../test/ui/workbench';
import { type Browser } from './browser';
import { extensionId, REPO_ROOT, SCREENSHOTS_DIR, UI_SRC_DIR } from './paths';
import { workbenchUrl } from './payload';
import { type Counts, seconds } from './report';
import { type RunDirs, workspaceCopy } from './runDir';
import { type CodeServer, machineSettingsFile, userSettingsFile } from './server';

const DEFAULT_TIMEOUT_MS = 60_000;

/** What a check file exports. */
interface CheckFile {
  readonly checks?: readonly UiCheck[];
  /** When true, the file's checks run one after another in one workbench page (opened once). */
  readonly sharesWorkbench?: boolean;
}

/** One code-server (with its own user data) that UI check files run against, one file at a time. */
export interface UiLane {
  readonly server: CodeServer;
  readonly dirs: RunDirs;
  /** A fresh browser context (a profile of its own, in memory) in the lane's Chromium. */
  readonly newBrowserContext: () => Promise<Browser>;
  /** Added to the extension host's environment. */
  readonly extensionEnv: Readonly<Record<string, string>>;
  /** Runs only checks whose name contains this text, or whose file is named by it (`chatHost`); `|` separates alternatives. */
  readonly filter?: string;
}

/** Every `test/ui/**\/*.check.ts`, and a fresh screenshots folder for their run. */
export function prepareUiChecks(): string[] {
  fs.rmSync(SCREENSHOTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return findCheckFiles(UI_SRC_DIR);
}

/**
 * Runs the checks of one `*.check.ts` file, each in a fresh workbench page on its own copy of the
 * workspace, with a screenshot of each, in the file's own browser context (so a secret one file
 * stores is not seen by another); prints the file's report when it ends.
 */
export async function runUiCheckFile(file: string, options: UiLane): Promise<Counts> {
  const { server, dirs } = options;
  const group = path.relative(UI_SRC_DIR, file).replace(/\.check\.ts$/, '');
  const lines = [group];
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const { checks = [], sharesWorkbench = false } = (await import(pathToFileURL(file).href)) as CheckFile;
  const alternatives = options.filter?.split('|');
  const selected = checks.filter(
    (check) => !alternatives || alternatives.some((text) => text === group || check.name.includes(text)),
  );
  counts.skipped = checks.length - selected.length;
  if (selected.length > 0) {
    const browser = await options.newBrowserContext();
    // A shared page is opened by the first check and reopened after a failure (which closes it).
    let shared: { page: Page; url: string } | undefined;
    try {
      for (const [index, check] of selected.entries()) {
        const name = `${slug(group)}--${slug(check.name)}`;
        const isFirstOnPage = !sharesWorkbench || shared === undefined || shared.page.isClosed();
        const url = isFirstOnPage
          ? workbenchUrl(server.url, server.authority, workspaceCopy(dirs, name), {
              extensionDevelopmentPath: REPO_ROOT,
              extensionEnvironment: options.extensionEnv,
            })
          : shared!.url;
        const page = isFirstOnPage ? await browser.context.newPage() : shared!.page;
        if (sharesWorkbench) shared = { page, url };
        const passed = await runOne(check, name, url, page, {
          isFirstOnPage,
          keepsPage: sharesWorkbench && index < selected.length - 1,
          userSettingsFile: userSettingsFile(dirs.userData),
          machineSettingsFile: machineSettingsFile(dirs.userData),
          print: (line) => lines.push(line),
        });
        counts[passed ? 'passed' : 'failed'] += 1;
      }
    } finally {
      await browser.stop();
    }
  }
  console.log(lines.join('\n'));
  return counts;
}

async function runOne(
  check: UiCheck,
  name: string,
  url: string,
  page: Page,
  how: {
    isFirstOnPage: boolean;
    keepsPage: boolean;
    userSettingsFile: string;
    machineSettingsFile: string;
    print: (line: string) => void;
  },
): Promise<boolean> {
  const lines: string[] = [];
  const startedAt = performance.now();
  const context: UiCheckContext = {
    page,
    workbenchUrl: url,
    extensionId: extensionId(),
    userSettingsFile: how.userSettingsFile,
    machineSettingsFile: how.machineSettingsFile,
    screenshot: async (label, of = page) => {
      await of.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}--${slug(label)}.png`) });
    },
    log: (message) => lines.push(message),
  };
  let failure: unknown;
  try {
    await withTimeout(
      (async () => {
        if (how.isFirstOnPage && check.opensWorkbench !== true) await openWorkbench(page, url);
        else await closeQuickInput(page);
        await check.run(context);
      })(),
      check.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
  } catch (error) {
    failure = error;
  }
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) }).catch(() => undefined);
  if (!how.keepsPage || failure !== undefined) await page.close().catch(() => undefined);
  const took = seconds(performance.now() - startedAt);
  const phases = takePhaseTimes(page);
  how.print(`  ${failure === undefined ? '✓' : '✗'} ${check.name} (${took}${phases ? `: ${phases}` : ''})`);
  for (const line of lines) how.print(`      · ${line}`);
  if (failure !== undefined)
    how.print(indent(failure instanceof Error ? (failure.stack ?? failure.message) : inspect(failure)));
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
