/**
 * Model classes: models that share one rate-limit bucket (spec §1.7). "Opus 4.x" is one limit
 * across Opus 4.5–4.8, "Sonnet 4.x" across Sonnet 4.5–4.6; Opus 5, Sonnet 5, Haiku 4.5, Haiku 3.5
 * and Fable 5 are each their own. A model not in the table is a class of its own.
 */
const DATED = String.raw`(-\d{8}|-latest)?$`;
const CLASS_PATTERNS: ReadonlyArray<{ readonly pattern: RegExp; readonly modelClass: string }> = [
  { pattern: new RegExp(String.raw`^claude-opus-4-[5-8]` + DATED), modelClass: 'opus-4.x' },
  { pattern: new RegExp(String.raw`^claude-sonnet-4-[56]` + DATED), modelClass: 'sonnet-4.x' },
  { pattern: new RegExp(String.raw`^claude-opus-5` + DATED), modelClass: 'opus-5' },
  { pattern: new RegExp(String.raw`^claude-sonnet-5` + DATED), modelClass: 'sonnet-5' },
  { pattern: new RegExp(String.raw`^claude-haiku-4-5` + DATED), modelClass: 'haiku-4.5' },
  { pattern: new RegExp(String.raw`^(claude-3-5-haiku|claude-haiku-3-5)` + DATED), modelClass: 'haiku-3.5' },
  { pattern: new RegExp(String.raw`^claude-fable-5` + DATED), modelClass: 'fable-5' },
];

/** Classes whose cache reads count toward the input-token limit (marked † in the docs). */
const CACHE_READS_COUNT = new Set(['haiku-3.5']);

/** The rate-limit class of a model id; unknown models are their own class. */
export function modelClassOf(model: string): string {
  const id = model.trim().toLowerCase();
  for (const { pattern, modelClass } of CLASS_PATTERNS) if (pattern.test(id)) return modelClass;
  return id;
}

/** Whether `cache_read_input_tokens` count toward this class's input-token limit. */
export function cacheReadsCountFor(modelClass: string): boolean {
  return CACHE_READS_COUNT.has(modelClass);
}
