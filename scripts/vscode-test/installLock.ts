import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isPidAlive } from './pidAlive';

/**
 * Runs `work` while holding a lock folder (mkdir is atomic), so that runs started at the same time
 * in one working tree install the tools once. A lock left by a dead process is taken over.
 */
export async function withLock<T>(lockDir: string, work: () => Promise<T>, onWait: () => void): Promise<T> {
  let waited = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!isPidAlive(lockOwner(lockDir))) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!waited) onWait();
    waited = true;
    await delay(1_000);
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockOwner(lockDir: string): number {
  try {
    return Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8')) || process.pid;
  } catch {
    // Just created, pid not written yet: treat as alive.
    return process.pid;
  }
}
