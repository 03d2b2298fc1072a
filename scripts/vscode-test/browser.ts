import { type Browser as PlaywrightBrowser, type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './paths';
import { type RunDirs } from './runDir';
import { type Stoppable } from './teardown';

/**
 * Features Playwright 1.65 turns off itself (its `--disable-features`): Chromium keeps only the last
 * `--disable-features` of a command line, so ours repeats them.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

/**
 * Headless Chromium 156 is the whole browser: each new window loads the address bar's suggestion
 * popups as WebUI pages (chrome://omnibox-popup.top-chrome) in a renderer of their own, ~0.9 CPU-s
 * a window that no test sees (measured: six contexts with a page each, 7.8 → 2.3 CPU-s).
 */
const UNSEEN_BROWSER_UI_FEATURES = ['PreloadTopChromeWebUI', 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/** Debian's Chromium flags that work headless as root on these machines, without network side trips. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...UNSEEN_BROWSER_UI_FEATURES].join(',')}`,
];

const VIEWPORT = { width: 1400, height: 900 };

/** A headless Chromium with a persistent profile in the run folder (secrets in localStorage survive a reload). */
export interface Browser extends Stoppable {
  readonly context: BrowserContext;
}

/** The environment Chromium runs in: HOME, TMPDIR and XDG folders under the run folder. */
function browserEnv(dirs: RunDirs): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: dirs.root,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
  };
}

/** Launches Chromium with a profile under the run folder (`profileDir`, default the run's own); its HOME, TMPDIR and XDG folders are there too. */
export async function launchBrowser(dirs: RunDirs, profileDir = dirs.browserProfile): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    // Teardown owns signal handling; Playwright still kills the browser's process group on `exit`.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: browserEnv(dirs),
  });
  return {
    name: 'chromium',
    context,
    stop: () => context.close(),
    stopNow: () => undefined,
  };
}

/**
 * One headless Chromium for a lane's UI check files, each file in a fresh context of its own: an
 * incognito-like profile in memory (storage, cookies, cache), so a secret one file stores in
 * localStorage is not seen by another, and a page reload or a second page of the same context
 * still sees it. Cheaper than a browser and an on-disk profile per file.
 */
export interface LaneBrowser extends Stoppable {
  /** A fresh context; its `stop()` closes it. Relaunches Chromium if it went away. */
  newContext(): Promise<Browser>;
}

/** Starts a {@link LaneBrowser} (Chromium itself on the first `newContext()`). */
export function laneBrowser(dirs: RunDirs): LaneBrowser {
  let running: Promise<PlaywrightBrowser> | undefined;
  const browser = async (): Promise<PlaywrightBrowser> => {
    const current = await running;
    if (current?.isConnected()) return current;
    running = chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: browserEnv(dirs),
    });
    return running;
  };
  return {
    name: 'chromium (lane)',
    newContext: async () => {
      const context = await (await browser()).newContext({ viewport: VIEWPORT });
      return { name: 'chromium context', context, stop: () => context.close(), stopNow: () => undefined };
    },
    stop: async () => {
      await (await running?.catch(() => undefined))?.close();
    },
    stopNow: () => undefined,
  };
}
