import { createHash } from 'node:crypto';
import type { TokenizerConfig } from './config';
import { blockTokens, type PromptBlock } from './tokens';

/** Input usage of one request split the way the API reports it. */
export interface InputUsage {
  readonly inputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly cacheReadInputTokens: number;
  /** Split of cacheCreationInputTokens by lifetime. */
  readonly ephemeral5mInputTokens: number;
  readonly ephemeral1hInputTokens: number;
}

/** An accounting decision not yet applied: `commit()` writes the cache entries once the request is admitted. */
export interface CachePlan {
  readonly usage: InputUsage;
  readonly totalTokens: number;
  commit(nowMs: number): void;
}

/**
 * Prompt cache per organization: a breakpoint's prefix (everything up to and including the
 * breakpoint block) is written the first time it is seen and read while its entry lives.
 */
export class PromptCache {
  readonly #expiresAtMs = new Map<string, number>();

  /** Plans the usage split of `blocks` for `orgId` and `model` at `nowMs`. */
  plan(
    orgId: string,
    model: string,
    blocks: readonly PromptBlock[],
    rule: TokenizerConfig,
    nowMs: number,
  ): CachePlan {
    const hash = createHash('sha256').update(`${orgId}\n${model}\n`);
    const breakpoints: { key: string; tokens: number; ttlSec: number }[] = [];
    blocks.forEach((block, i) => {
      hash.update(`${block.canonical}\n`);
      if (block.cacheTtlSec === undefined) return;
      const key = hash.copy().digest('hex');
      breakpoints.push({
        key,
        tokens: blockTokens(blocks.slice(0, i + 1), rule),
        ttlSec: block.cacheTtlSec,
      });
    });
    const totalTokens = blockTokens(blocks, rule);
    let hitIndex = breakpoints.length - 1;
    while (hitIndex >= 0 && (this.#expiresAtMs.get(breakpoints[hitIndex]!.key) ?? -Infinity) <= nowMs)
      hitIndex--;
    const readTokens = hitIndex === -1 ? 0 : breakpoints[hitIndex]!.tokens;
    let covered = readTokens;
    let ephemeral5m = 0;
    let ephemeral1h = 0;
    for (const bp of breakpoints.slice(hitIndex + 1)) {
      const segment = Math.max(0, bp.tokens - covered);
      if (bp.ttlSec >= 3600) ephemeral1h += segment;
      else ephemeral5m += segment;
      covered = Math.max(covered, bp.tokens);
    }
    return {
      usage: {
        inputTokens: totalTokens - covered,
        cacheCreationInputTokens: ephemeral5m + ephemeral1h,
        cacheReadInputTokens: readTokens,
        ephemeral5mInputTokens: ephemeral5m,
        ephemeral1hInputTokens: ephemeral1h,
      },
      totalTokens,
      commit: (atMs) => {
        // Reads refresh the lifetime too, as the real cache does.
        for (const bp of breakpoints)
          this.#expiresAtMs.set(
            bp.key,
            Math.max(this.#expiresAtMs.get(bp.key) ?? 0, atMs + bp.ttlSec * 1000),
          );
      },
    };
  }
}
