import * as fs from 'node:fs';

/**
 * Merges `settings` into the run's user settings file (VS Code applies a changed file live) and
 * returns a function that restores the file. Settings with application scope (`claudePacer.baseUrl`,
 * `claudePacer.fallbackModel`, …) are read from here only: workspace values are ignored.
 */
export function useUserSettings(file: string, settings: Record<string, unknown>): () => void {
  const previous = fs.readFileSync(file, 'utf8');
  const current = JSON.parse(previous) as Record<string, unknown>;
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  return () => fs.writeFileSync(file, previous);
}
