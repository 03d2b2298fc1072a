/** One model the provider offers, in the units VS Code's `LanguageModelChatInformation` wants. */
export interface CatalogModel {
  readonly id: string;
  readonly name: string;
  /** The model line (`opus`, `sonnet`, `haiku`…), or the id's second word. */
  readonly family: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly acceptsImages: boolean;
}

/** Context window assumed when the list gives none. */
const DEFAULT_MAX_INPUT = 200_000;
/** Output limit assumed when the list gives none. */
const DEFAULT_MAX_OUTPUT = 64_000;

/** Models offered when `GET /v1/models` is unavailable (an old gateway, a network failure). */
export const BUILT_IN_MODELS: readonly CatalogModel[] = [
  model('claude-opus-4-8', 'Claude Opus 4.8', 'opus', 200_000, 64_000),
  model('claude-sonnet-4-6', 'Claude Sonnet 4.6', 'sonnet', 200_000, 64_000),
  model('claude-haiku-4-5', 'Claude Haiku 4.5', 'haiku', 200_000, 64_000),
];

function model(id: string, name: string, family: string, input: number, output: number): CatalogModel {
  return { id, name, family, maxInputTokens: input, maxOutputTokens: output, acceptsImages: true };
}

/**
 * Reads the `data` of a `GET /v1/models` answer (untrusted JSON: entries without an id are
 * skipped, missing numbers get defaults, retired models are left out). Undefined when the answer
 * has no usable entry, so the caller falls back to {@link BUILT_IN_MODELS}.
 */
export function catalogFromModelList(entries: readonly unknown[]): CatalogModel[] | undefined {
  const out: CatalogModel[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !/^[\w.:@/-]{1,100}$/.test(entry.id)) continue;
    if (entry.lifecycle === 'retired' || seen.has(entry.id)) continue;
    seen.add(entry.id);
    const capabilities = isRecord(entry.capabilities) ? entry.capabilities : undefined;
    const images =
      capabilities !== undefined && isRecord(capabilities.image_input) ? capabilities.image_input : undefined;
    out.push({
      id: entry.id,
      name:
        typeof entry.display_name === 'string' && entry.display_name.trim() !== ''
          ? entry.display_name.trim()
          : entry.id,
      family: typeof entry.line === 'string' ? entry.line : (entry.id.split('-')[1] ?? entry.id),
      maxInputTokens: positive(entry.max_input_tokens) ?? DEFAULT_MAX_INPUT,
      maxOutputTokens: positive(entry.max_tokens) ?? DEFAULT_MAX_OUTPUT,
      // Every Claude model on the list takes images unless the list says otherwise.
      acceptsImages: images === undefined || images.supported !== false,
    });
  }
  return out.length > 0 ? out : undefined;
}

/** Output tokens to ask for: the user's setting, never above what the model can produce. */
export function maxTokensFor(entry: CatalogModel, configuredMaxTokens: number): number {
  return Math.max(1, Math.min(entry.maxOutputTokens, configuredMaxTokens));
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
