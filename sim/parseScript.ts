import type { ReplyScript, ScriptStep, ScriptedToolUse } from './config';
import { ConfigError, array, at, object, optional, string } from './validate';

const toolNamePattern = /^[a-zA-Z0-9_-]{1,128}$/;

function parseToolUse(raw: unknown, path: string): ScriptedToolUse {
  const o = object(raw, path, ['name', 'input']);
  return {
    name: string(o.name, at(path, 'name'), toolNamePattern, 'a tool name of letters, digits, - or _'),
    input: optional(o.input, {}, (v) => object(v, at(path, 'input'), Object.keys(v as object))),
  };
}

function parseStep(raw: unknown, path: string): ScriptStep {
  const o = object(raw, path, ['text', 'toolUses']);
  const text = optional(o.text, undefined, (v) => string(v, at(path, 'text')));
  const toolUses = optional(o.toolUses, [], (v) =>
    array(v, at(path, 'toolUses')).map((t, i) => parseToolUse(t, at(at(path, 'toolUses'), i))),
  );
  // A reply needs at least one content block.
  if (text === undefined && toolUses.length === 0)
    throw new ConfigError(path, 'needs a text, tool uses, or both');
  return { ...(text !== undefined && { text }), toolUses };
}

function parseScript(raw: unknown, path: string): ReplyScript {
  const o = object(raw, path, ['match', 'steps']);
  const steps = array(o.steps, at(path, 'steps')).map((s, i) => parseStep(s, at(at(path, 'steps'), i)));
  if (steps.length === 0) throw new ConfigError(at(path, 'steps'), 'must list at least one step');
  const match = optional(o.match, undefined, (v) => string(v, at(path, 'match')));
  return { ...(match !== undefined && { match }), steps };
}

/** Validates the `scripts` setting: each script's optional `match` and its non-empty `steps`. */
export function parseScripts(raw: unknown, path: string): readonly ReplyScript[] {
  return array(raw, path).map((s, i) => parseScript(s, at(path, i)));
}
