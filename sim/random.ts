import { createHash } from 'node:crypto';

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export type Prng = () => number;

/** A mulberry32 generator seeded with a 32-bit integer. */
export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed derived from any strings (SHA-256 of them). */
export function seedFrom(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` base62 characters drawn from `random`. */
export function base62Id(random: Prng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += base62[Math.floor(random() * 62)];
  return out;
}
