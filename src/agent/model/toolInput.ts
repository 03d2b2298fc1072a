/**
 * Readers of a tool call's input: each returns the value, or throws a {@link ToolInputError} whose
 * message names the field and what it must be, so the model can correct its next call. Written by
 * hand rather than with a JSON-schema validator (ajv) because the inputs are a few flat fields and
 * these messages, which the model reads, are clearer than a validator's generic ones.
 */

/** A tool call's input that does not fit the tool's schema. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}

/** A tool call's input object (only own data fields); throws unless it is a plain object with no unknown field. */
export function inputObject(raw: unknown, known: readonly string[]): Readonly<Record<string, unknown>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ToolInputError('The input must be a JSON object.');
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    throw new ToolInputError(
      `Unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected: ${known.join(', ')}.`,
    );
  return raw as Readonly<Record<string, unknown>>;
}

/** A string field of at most `maxChars` characters; empty only when `allowEmpty`. */
export function textField(
  input: Readonly<Record<string, unknown>>,
  name: string,
  { maxChars, allowEmpty = false }: { readonly maxChars: number; readonly allowEmpty?: boolean },
): string {
  const value = input[name];
  if (typeof value !== 'string') throw new ToolInputError(`"${name}" must be a string.`);
  if (!allowEmpty && value === '') throw new ToolInputError(`"${name}" must not be empty.`);
  if (value.length > maxChars) throw new ToolInputError(`"${name}" is longer than ${maxChars} characters.`);
  return value;
}

/** An optional string field; undefined when absent. */
export function optionalText(
  input: Readonly<Record<string, unknown>>,
  name: string,
  rule: { readonly maxChars: number; readonly allowEmpty?: boolean },
): string | undefined {
  return input[name] === undefined ? undefined : textField(input, name, rule);
}

/** An optional whole number in [min, max]; undefined when absent. */
export function optionalCount(
  input: Readonly<Record<string, unknown>>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new ToolInputError(`"${name}" must be a whole number from ${min} to ${max}.`);
  return value;
}

/** An optional boolean; undefined when absent. */
export function optionalFlag(input: Readonly<Record<string, unknown>>, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ToolInputError(`"${name}" must be true or false.`);
  return value;
}
