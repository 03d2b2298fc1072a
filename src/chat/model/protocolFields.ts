/** Validators for untrusted protocol fields: each returns the value, or undefined when it is off. */

/** Longest message id. */
export const MAX_ID_CHARS = 64;

/** A record's own data fields. */
export type Fields = Readonly<Record<string, unknown>>;

/** The object's own enumerable fields, or undefined for anything that is not a plain record. */
export function record(value: unknown): Fields | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    // Accessors could run code or change between reads: only plain data fields count.
    if (descriptor && 'value' in descriptor) out[key] = descriptor.value;
  }
  return out;
}

/** A string of at most `max` characters (non-empty unless `allowEmpty`). */
export function str(value: unknown, max: number, allowEmpty = true): string | undefined {
  if (typeof value !== 'string' || value.length > max) return undefined;
  return allowEmpty || value.length > 0 ? value : undefined;
}

/** A message or turn id: 1 to {@link MAX_ID_CHARS} of `A-Za-z0-9_-`. */
export function id(value: unknown): string | undefined {
  const s = str(value, MAX_ID_CHARS, false);
  return s !== undefined && /^[A-Za-z0-9_-]+$/.test(s) ? s : undefined;
}

/** A finite number from 0 to 10^12. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e12
    ? value
    : undefined;
}

/** One of `allowed`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

/** A boolean. */
export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** An array of at most `max` items, each valid by `item`; undefined when any is not. */
export function listOf<T>(value: unknown, max: number, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value) || value.length > max) return undefined;
  const out: T[] = [];
  for (const v of value as unknown[]) {
    const parsed = item(v);
    if (parsed === undefined) return undefined;
    out.push(parsed);
  }
  return out;
}
