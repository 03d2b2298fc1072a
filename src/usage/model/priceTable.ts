/**
 * List prices of Claude models, USD per million tokens, standard tier, for the dashboard's cost
 * estimate. Source: Anthropic, "Pricing" (https://platform.claude.com/docs/en/about-claude/pricing,
 * "Model pricing" table), as read on 2026-12-07. Update this table, and only it, when prices change.
 *
 * Rule: cost = input_tokens × input + cache_creation_input_tokens × 5-minute cache write
 * (1.25 × input; the usage we record does not say which writes were 1-hour ones, at 2 × input, so
 * the estimate is a lower bound for those) + cache_read_input_tokens × cache hit (0.1 × input)
 * + output_tokens × output. Not modelled: batch (50 %), long-context (> 200 K input) and
 * priority-tier prices. A model not in the table has no price: it is shown as such, never guessed
 * from a neighbour (Sonnet 5, Fable 5.2 and newer ids are not on the page we read).
 */
export interface ModelPrice {
  readonly label: string;
  readonly inputPerMTok: number;
  readonly cacheWritePerMTok: number;
  readonly cacheReadPerMTok: number;
  readonly outputPerMTok: number;
}

const DATED = String.raw`(-\d{8}|-latest)?$`;
const price = (
  label: string,
  inputPerMTok: number,
  cacheWritePerMTok: number,
  cacheReadPerMTok: number,
  outputPerMTok: number,
): ModelPrice => ({ label, inputPerMTok, cacheWritePerMTok, cacheReadPerMTok, outputPerMTok });

/** The table: model id pattern → price. First match wins. */
const PRICES: ReadonlyArray<{ readonly pattern: RegExp; readonly price: ModelPrice }> = [
  {
    pattern: new RegExp(String.raw`^claude-fable-5-1` + DATED),
    price: price('Claude Fable 5.1', 10, 12.5, 0.25, 50),
  },
  {
    pattern: new RegExp(String.raw`^claude-fable-5` + DATED),
    price: price('Claude Fable 5', 10, 12.5, 1, 50),
  },
  {
    pattern: new RegExp(String.raw`^claude-opus-5` + DATED),
    price: price('Claude Opus 5', 5, 6.25, 0.5, 25),
  },
  {
    pattern: new RegExp(String.raw`^claude-opus-4-[5-8]` + DATED),
    price: price('Claude Opus 4.5–4.8', 5, 6.25, 0.5, 25),
  },
  {
    pattern: new RegExp(String.raw`^claude-opus-4(-[01])?` + DATED),
    price: price('Claude Opus 4 / 4.1', 15, 18.75, 1.5, 75),
  },
  {
    pattern: new RegExp(String.raw`^claude-sonnet-4(-[56])?` + DATED),
    price: price('Claude Sonnet 4 / 4.5 / 4.6', 3, 3.75, 0.3, 15),
  },
  {
    pattern: new RegExp(String.raw`^claude-haiku-4-5` + DATED),
    price: price('Claude Haiku 4.5', 1, 1.25, 0.1, 5),
  },
  {
    pattern: new RegExp(String.raw`^(claude-3-5-haiku|claude-haiku-3-5)` + DATED),
    price: price('Claude Haiku 3.5', 0.8, 1, 0.08, 4),
  },
];

/** The price of a model id, or undefined when the table does not know it. */
export function priceOf(model: string): ModelPrice | undefined {
  const id = model.trim().toLowerCase();
  return PRICES.find((p) => p.pattern.test(id))?.price;
}

/** Token counts of a request or a sum of them, as the API's `usage` reports them. */
export interface TokenCounts {
  readonly inputTokens: number;
  readonly cacheWriteTokens: number;
  readonly cacheReadTokens: number;
  readonly outputTokens: number;
}

/** Estimated cost in USD of `tokens` at `price` (the rule in this file's header). */
export function costUsd(tokens: TokenCounts, price: ModelPrice): number {
  return (
    (tokens.inputTokens * price.inputPerMTok +
      tokens.cacheWriteTokens * price.cacheWritePerMTok +
      tokens.cacheReadTokens * price.cacheReadPerMTok +
      tokens.outputTokens * price.outputPerMTok) /
    1_000_000
  );
}

/** One model's estimated cost: `costUsd` undefined when no price is known. */
export interface ModelCost extends TokenCounts {
  readonly model: string;
  readonly costUsd?: number;
  /** What the cache reads saved against paying full input price for them. */
  readonly cacheSavedUsd?: number;
}

/** Sums tokens per model and prices each; models sorted by id. */
export function costByModel(rows: ReadonlyArray<TokenCounts & { readonly model: string }>): ModelCost[] {
  const sums = new Map<
    string,
    { inputTokens: number; cacheWriteTokens: number; cacheReadTokens: number; outputTokens: number }
  >();
  for (const row of rows) {
    const sum = sums.get(row.model) ?? {
      inputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
      outputTokens: 0,
    };
    sum.inputTokens += row.inputTokens;
    sum.cacheWriteTokens += row.cacheWriteTokens;
    sum.cacheReadTokens += row.cacheReadTokens;
    sum.outputTokens += row.outputTokens;
    sums.set(row.model, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, tokens]) => {
      const p = priceOf(model);
      if (!p) return { model, ...tokens };
      return {
        model,
        ...tokens,
        costUsd: costUsd(tokens, p),
        cacheSavedUsd: (tokens.cacheReadTokens * (p.inputPerMTok - p.cacheReadPerMTok)) / 1_000_000,
      };
    });
}
