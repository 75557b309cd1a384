// Prompty `tools:` as function definitions a model API takes: a name, a description and a JSON
// Schema of the arguments. Prompty v1 writes them OpenAI's way (`{type: function, function:
// {name, description, parameters}}`), v2 (AgentSchema) as `{name, kind: function, description,
// parameters: {properties}}` with `kind` per property. Other tool kinds (MCP, OpenAPI, code
// interpreter, file search, ...) are run by an agent host, not sent as functions: refused.

import { isRecord } from "./parsers/fields.js";

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (always an object schema). */
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export interface ToolProblem {
  /** Index of the tool in `tools:`. */
  index: number;
  message: string;
}

/** The function definitions of a prompt's tools, and why any tool cannot be sent. */
export function toolDefinitions(tools: readonly unknown[] | undefined): { tools: ToolDefinition[]; problems: ToolProblem[] } {
  const out: ToolDefinition[] = [];
  const problems: ToolProblem[] = [];
  (tools ?? []).forEach((tool, index) => {
    const result = toolDefinition(tool);
    if (typeof result === "string") problems.push({ index, message: result });
    else out.push(result);
  });
  return { tools: out, problems };
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function toolDefinition(tool: unknown): ToolDefinition | string {
  if (!isRecord(tool)) return "a tool must be a mapping with a `name`";
  // v1 / OpenAI: `{type: function, function: {...}}`.
  const fn = isRecord(tool.function) ? tool.function : undefined;
  const kind = typeof tool.kind === "string" ? tool.kind : typeof tool.type === "string" ? tool.type : fn ? "function" : undefined;
  const source = fn ?? tool;
  const name = typeof source.name === "string" ? source.name : undefined;
  const label = name !== undefined ? `tool \`${name}\`` : "a tool";
  if (kind !== undefined && kind.toLowerCase() !== "function") {
    return `${label} is of kind \`${kind}\`: only function tools are sent to the model (other kinds are run by an agent host), so this prompt cannot be evaluated as written`;
  }
  if (name === undefined || name === "") return "a tool needs a `name`";
  if (!NAME.test(name)) return `${label}: a function name may only hold letters, digits, \`_\` and \`-\` (at most 64), as model APIs require`;
  const parameters = argumentsSchema(source.parameters);
  if (typeof parameters === "string") return `${label}: ${parameters}`;
  return {
    name,
    ...(typeof source.description === "string" ? { description: source.description } : {}),
    parameters,
    ...(typeof source.strict === "boolean" ? { strict: source.strict } : {}),
  };
}

const KIND_TYPES: Record<string, string> = {
  string: "string",
  str: "string",
  number: "number",
  float: "number",
  integer: "integer",
  int: "integer",
  boolean: "boolean",
  bool: "boolean",
  array: "array",
  list: "array",
  object: "object",
  dict: "object",
};

/** The arguments' JSON Schema: a JSON Schema as is, or AgentSchema properties converted. */
function argumentsSchema(parameters: unknown): Record<string, unknown> | string {
  if (parameters === undefined || parameters === null) return { type: "object", properties: {} };
  if (Array.isArray(parameters)) return objectSchema(parameters);
  if (!isRecord(parameters)) return "`parameters` must be a mapping";
  if (parameters.type !== undefined || parameters.$schema !== undefined) return parameters;
  const converted = objectSchema(parameters.properties ?? {});
  if (typeof converted === "string") return converted;
  if (typeof parameters.strict === "boolean") converted.additionalProperties = !parameters.strict;
  return converted;
}

function objectSchema(properties: unknown): Record<string, unknown> | string {
  const entries: [string, unknown][] = [];
  if (Array.isArray(properties)) {
    for (const p of properties) {
      if (!isRecord(p) || typeof p.name !== "string") return "each parameter in a list needs a `name`";
      entries.push([p.name, p]);
    }
  } else if (isRecord(properties)) {
    entries.push(...Object.entries(properties));
  } else {
    return "`parameters.properties` must be a mapping or a list";
  }
  const out: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, spec] of entries) {
    const converted = propertySchema(name, spec);
    if (typeof converted === "string") return converted;
    out[name] = converted;
    if (isRecord(spec) && spec.required === true) required.push(name);
  }
  return { type: "object", properties: out, ...(required.length > 0 ? { required } : {}) };
}

function propertySchema(name: string, spec: unknown): Record<string, unknown> | string {
  if (typeof spec === "string") spec = { kind: spec };
  if (!isRecord(spec)) return `parameter \`${name}\` must be a mapping`;
  const written = spec.kind ?? spec.type;
  if (written === undefined) return { ...(typeof spec.description === "string" ? { description: spec.description } : {}) };
  const type = typeof written === "string" ? KIND_TYPES[written.toLowerCase()] : undefined;
  if (type === undefined) return `parameter \`${name}\` has kind ${JSON.stringify(written)}; use one of string, number, integer, boolean, array, object`;
  const out: Record<string, unknown> = { type };
  if (typeof spec.description === "string") out.description = spec.description;
  const values = spec.enumValues ?? spec.enum;
  if (Array.isArray(values)) out.enum = values;
  if (spec.default !== undefined) out.default = spec.default;
  if (type === "array" && spec.items !== undefined) {
    const items = propertySchema(`${name}[]`, spec.items);
    if (typeof items === "string") return items;
    out.items = items;
  }
  if (type === "object" && spec.properties !== undefined) {
    const nested = objectSchema(spec.properties);
    if (typeof nested === "string") return nested;
    Object.assign(out, nested);
  }
  return out;
}
