/** A configuration error whose message starts with the offending field path. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Path of the offending field, e.g. `organizations[1].limits.default.inputTokensPerMinute`. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`${path || 'config'} ${problem}`);
    this.path = path;
  }
}

/** A plain JSON object read from untrusted config. */
export type RawObject = Readonly<Record<string, unknown>>;

/** Joins a parent path and a child key (`a` + `b` → `a.b`; `a` + 2 → `a[2]`). */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Returns `raw` as an object with only `allowed` keys, or throws naming the field. */
export function object(raw: unknown, path: string, allowed: readonly string[]): RawObject {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(path, 'must be an object');
  const obj = raw as RawObject;
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new ConfigError(at(path, key), 'is not a known setting');
  }
  return obj;
}

/** Returns `raw` as an array, or throws naming the field. */
export function array(raw: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(raw)) throw new ConfigError(path, 'must be an array');
  return raw as readonly unknown[];
}

interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** Excludes `min` itself. */
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
}

/** Returns `raw` as a finite number obeying `rule`, or throws naming the field and the rule. */
export function number(raw: unknown, path: string, rule: NumberRule = {}): number {
  const { min, max, integer = false, exclusiveMin = false, exclusiveMax = false } = rule;
  const kind = integer ? 'integer' : 'number';
  const describe = (): string => {
    if (min === 0 && exclusiveMin && max === undefined) return `must be a positive ${kind}`;
    if (min === 0 && !exclusiveMin && max === undefined) return `must be a non-negative ${kind}`;
    const lo = min === undefined ? '' : ` ${exclusiveMin ? '>' : '≥'} ${min}`;
    const hi = max === undefined ? '' : `${lo ? ' and' : ''} ${exclusiveMax ? '<' : '≤'} ${max}`;
    return `must be a ${kind}${lo}${hi}`;
  };
  if (typeof raw !== 'number' || !Number.isFinite(raw)) throw new ConfigError(path, describe());
  if (integer && !Number.isInteger(raw)) throw new ConfigError(path, describe());
  if (min !== undefined && (exclusiveMin ? raw <= min : raw < min)) throw new ConfigError(path, describe());
  if (max !== undefined && (exclusiveMax ? raw >= max : raw > max)) throw new ConfigError(path, describe());
  return raw;
}

/** Returns `raw` as a positive number (> 0). */
export function positive(raw: unknown, path: string): number {
  return number(raw, path, { min: 0, exclusiveMin: true });
}

/** Returns `raw` as a non-empty string, optionally matching `pattern` (described by `what`). */
export function string(raw: unknown, path: string, pattern?: RegExp, what?: string): string {
  if (typeof raw !== 'string' || raw === '') throw new ConfigError(path, 'must be a non-empty string');
  if (pattern !== undefined && !pattern.test(raw))
    throw new ConfigError(path, `must be ${what ?? `like ${String(pattern)}`}`);
  return raw;
}

/** Returns `raw` if it is one of `choices`, or throws listing them. */
export function oneOf<T extends string>(raw: unknown, path: string, choices: readonly T[]): T {
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(path, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  return raw as T;
}

/** Returns `raw` as a boolean, or throws naming the field. */
export function boolean(raw: unknown, path: string): boolean {
  if (typeof raw !== 'boolean') throw new ConfigError(path, 'must be true or false');
  return raw;
}

/** Applies `parse` when the field is present, else returns `fallback`. */
export function optional<T>(raw: unknown, fallback: T, parse: (value: unknown) => T): T {
  return raw === undefined ? fallback : parse(raw);
}
