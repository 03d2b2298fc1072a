import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Merges `settings` into the run's user settings file (VS Code applies a changed file live) and
 * returns a function that restores the file. Settings with application scope (`claudePacer.baseUrl`,
 * `claudePacer.fallbackModel`, …) are read from here only: workspace values are ignored. Also for the
 * machine settings file, which may not exist yet (then restoring removes it).
 */
export function useUserSettings(file: string, settings: Record<string, unknown>): () => void {
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const current = JSON.parse(previous ?? '{}') as Record<string, unknown>;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  return () => (previous === undefined ? fs.rmSync(file, { force: true }) : fs.writeFileSync(file, previous));
}
