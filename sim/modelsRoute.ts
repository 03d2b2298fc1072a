import type { Exchange } from './exchange';

/** One entry of `GET /v1/models`, in the shape of the real endpoint (a subset of its capabilities). */
interface ModelEntry {
  readonly id: string;
  readonly display_name: string;
  readonly created_at: string;
  readonly line: string;
  readonly max_input_tokens: number;
  readonly max_tokens: number;
}

/** The models the simulator lists, newest first like the real list [I: ids from the 2026 docs]. */
const MODELS: readonly ModelEntry[] = [
  entry('claude-opus-5', 'Claude Opus 5', '2026-08-05', 'opus', 1_000_000, 128_000),
  entry('claude-sonnet-5', 'Claude Sonnet 5', '2026-08-05', 'sonnet', 1_000_000, 128_000),
  entry('claude-opus-4-8', 'Claude Opus 4.8', '2026-04-16', 'opus', 200_000, 64_000),
  entry('claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-02-17', 'sonnet', 200_000, 64_000),
  entry('claude-haiku-4-5', 'Claude Haiku 4.5', '2025-10-15', 'haiku', 200_000, 64_000),
];

function entry(
  id: string,
  name: string,
  date: string,
  line: string,
  input: number,
  output: number,
): ModelEntry {
  return {
    id,
    display_name: name,
    created_at: `${date}T00:00:00Z`,
    line,
    max_input_tokens: input,
    max_tokens: output,
  };
}

/** GET /v1/models: the list page `{data, has_more, first_id, last_id}`, paged by `limit` (1–1000, default 20) and `after_id`. */
export function handleListModels(ex: Exchange): void {
  const query = new URL(ex.req.url ?? '/', 'http://127.0.0.1').searchParams;
  const limit = Number(query.get('limit') ?? '20');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return ex.sendError(400, {
      type: 'invalid_request_error',
      message: 'limit: Input should be between 1 and 1000',
    });
  const afterId = query.get('after_id');
  const start = afterId === null ? 0 : MODELS.findIndex((m) => m.id === afterId) + 1;
  const page = MODELS.slice(start, start + limit).map((m) => ({
    type: 'model',
    ...m,
    lifecycle: 'active',
    capabilities: { image_input: { supported: true }, pdf_input: { supported: true } },
  }));
  ex.sendJson(
    200,
    JSON.stringify({
      data: page,
      has_more: start + limit < MODELS.length,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
    }),
  );
}
