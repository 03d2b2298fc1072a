import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './paths';
import { type RunDirs } from './runDir';
import { type Stoppable } from './teardown';

/** Debian's Chromium flags that work headless as root on these machines, without network side trips. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a persistent profile in the run folder (secrets in localStorage survive a reload). */
export interface Browser extends Stoppable {
  readonly context: BrowserContext;
}

/** Launches Chromium with a profile under the run folder (`profileDir`, default the run's own); its HOME, TMPDIR and XDG folders are there too. */
export async function launchBrowser(dirs: RunDirs, profileDir = dirs.browserProfile): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    // Teardown owns signal handling; Playwright still kills the browser's process group on `exit`.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: {
      ...process.env,
      HOME: dirs.root,
      TMPDIR: dirs.tmp,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
    },
  });
  return {
    name: 'chromium',
    context,
    stop: () => context.close(),
    stopNow: () => undefined,
  };
}
