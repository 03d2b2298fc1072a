import type { PacerSettings } from '../../settings/model/settings';

/** Whether inline completions are on for a language: its own override, else `*`, else the main switch. */
export function isCompletionEnabledFor(settings: PacerSettings, languageId: string): boolean {
  if (!settings['inlineCompletions.enabled']) return false;
  const overrides = settings['inlineCompletions.languages'];
  return overrides[languageId] ?? overrides['*'] ?? true;
}
