import { inputTokens, planBlocks, type ReplyPlan } from './replies';

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 400 message for invalid `tools` or `tool_choice`, or undefined when they are acceptable. */
export function validateTools(body: Json): string | undefined {
  const { tools, tool_choice: choice } = body;
  const names: string[] = [];
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
    for (const [i, tool] of (tools as unknown[]).entries()) {
      if (!isObject(tool) || typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name))
        return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
      if (!isObject(tool.input_schema)) return `tools.${i}.input_schema: Field required`;
      names.push(tool.name);
    }
  }
  if (choice === undefined) return undefined;
  if (!isObject(choice) || !['auto', 'any', 'tool', 'none'].includes(String(choice.type)))
    return "tool_choice: Input tag should be 'auto', 'any', 'tool' or 'none'";
  if ((choice.type === 'any' || choice.type === 'tool') && names.length === 0)
    return 'tool_choice: tools must be provided when tool_choice is any or tool';
  if (choice.type === 'tool' && !names.includes(String(choice.name)))
    return `tool_choice.name: no tool named ${JSON.stringify(choice.name)} in tools`;
  return undefined;
}

/**
 * The tool a reply must call: with `tool_choice` `any`, the first tool; with `tool`, the named one
 * [I]. Undefined otherwise (`auto`, `none` or no tool_choice): the simulator then answers in text.
 */
export function forcedTool(body: Json): Json | undefined {
  const choice = body.tool_choice;
  if (!isObject(choice) || !Array.isArray(body.tools)) return undefined;
  const tools = (body.tools as unknown[]).filter(isObject);
  if (choice.type === 'any') return tools[0];
  if (choice.type === 'tool') return tools.find((t) => t.name === choice.name);
  return undefined;
}

/** A value for a JSON schema: required properties filled in (recursively), enums by their first value. */
export function fillSchema(schema: unknown): unknown {
  if (!isObject(schema)) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const type: unknown = Array.isArray(schema.type) ? (schema.type as unknown[])[0] : schema.type;
  switch (type) {
    case 'string':
      return 'sim';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'null':
      return null;
    default: {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required)
        ? schema.required.filter((r) => typeof r === 'string')
        : [];
      return Object.fromEntries(required.map((name: string) => [name, fillSchema(properties[name])]));
    }
  }
}

/** A reply that is one call of `tool`, its input JSON cut into output tokens of 4 characters. */
export function planToolReply(id: string, tool: Json, maxTokens: number): ReplyPlan {
  const input = fillSchema(tool.input_schema);
  return planBlocks(
    [{ type: 'tool_use', id, name: String(tool.name), input, tokens: inputTokens(input) }],
    maxTokens,
  );
}
