// Dotprompt's Picoschema (`name?: string, description`, `tags(array): string`,
// `kind(enum): [A, B]`, `address(object): {...}`) read into variables and JSON Schema.
// A schema that already is JSON Schema (`type: object`, `properties`) is taken as is.

import type { VariableSpec } from "../model.js";
import { isRecord, type FieldReader } from "./fields.js";
import type { YamlPath } from "./yaml.js";

type JsonSchema = Record<string, unknown>;

const SCALARS = new Set(["string", "number", "integer", "boolean", "null", "any"]);
const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "null", "object", "array"]);
const KEY = /^([^?(]+?)(\?)?\s*(?:\(\s*([^,)]+?)\s*(?:,\s*([^)]*?)\s*)?\))?$/;

export function isJsonSchema(schema: unknown): schema is JsonSchema {
  if (!isRecord(schema)) return false;
  return (typeof schema.type === "string" && JSON_TYPES.has(schema.type) && !String(schema.type).includes(",")) || isRecord(schema.properties);
}

interface PicoKey {
  name: string;
  optional: boolean;
  type?: string;
  description?: string;
}

function parseKey(key: string): PicoKey | undefined {
  const m = KEY.exec(key.trim());
  if (!m) return undefined;
  return { name: m[1].trim(), optional: m[2] === "?", type: m[3], description: m[4] || undefined };
}

/** `string, the user's name` -> type and description. */
function parseTypeText(text: string): { type: string; description?: string } {
  const comma = text.indexOf(",");
  if (comma === -1) return { type: text.trim() };
  return { type: text.slice(0, comma).trim(), description: text.slice(comma + 1).trim() || undefined };
}

function scalarSchema(type: string, description?: string): JsonSchema {
  const out: JsonSchema = type === "any" ? {} : { type };
  if (description) out.description = description;
  return out;
}

/** Converts a Picoschema value (or JSON Schema) to JSON Schema; `fail` reports what it cannot read. */
export function picoschemaToJsonSchema(schema: unknown, fail: (message: string) => void = () => {}): JsonSchema {
  if (isJsonSchema(schema)) return schema;
  if (typeof schema === "string") {
    const { type, description } = parseTypeText(schema);
    return scalarSchema(type, description);
  }
  if (!isRecord(schema)) {
    fail("a Picoschema must be a type name or a mapping of fields");
    return {};
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let additional: JsonSchema | undefined;
  for (const [rawKey, value] of Object.entries(schema)) {
    const key = parseKey(rawKey);
    if (!key) {
      fail(`cannot read Picoschema field ${JSON.stringify(rawKey)}`);
      continue;
    }
    const field = fieldSchema(key, value, fail);
    if (key.name === "*") {
      additional = field;
      continue;
    }
    properties[key.name] = field;
    if (!key.optional) required.push(key.name);
  }
  const out: JsonSchema = { type: "object", properties };
  if (required.length > 0) out.required = required;
  out.additionalProperties = additional ?? false;
  return out;
}

function fieldSchema(key: PicoKey, value: unknown, fail: (message: string) => void): JsonSchema {
  let out: JsonSchema;
  switch (key.type) {
    case "array":
      out = { type: "array", items: picoschemaToJsonSchema(value, fail) };
      break;
    case "object":
      out = picoschemaToJsonSchema(value, fail);
      break;
    case "enum":
      if (Array.isArray(value)) out = { enum: value };
      else {
        fail(`enum field \`${key.name}\` needs a list of values`);
        out = {};
      }
      break;
    case undefined:
      if (typeof value === "string") {
        const { type, description } = parseTypeText(value);
        if (!SCALARS.has(type)) fail(`unknown Picoschema type \`${type}\` for \`${key.name}\` (use ${[...SCALARS].join(", ")})`);
        out = scalarSchema(type, description);
      } else {
        out = picoschemaToJsonSchema(value, fail);
      }
      break;
    default:
      fail(`unknown Picoschema type \`(${key.type})\` for \`${key.name}\` (use array, object or enum)`);
      out = {};
  }
  if (key.description && out.description === undefined) out.description = key.description;
  return out;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.enum)) return "enum";
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.filter((t) => t !== "null").join("|") || undefined;
  return schema.type === undefined && Object.keys(schema).length <= 1 ? "any" : undefined;
}

/** The top-level fields of an input schema as declared variables, with the line of each field. */
export function schemaVariables(r: FieldReader, path: YamlPath): VariableSpec[] {
  const schema = r.get(path);
  if (schema === undefined || schema === null) return [];
  const fail = (message: string) => r.fail(path, message);
  const json = picoschemaToJsonSchema(schema, fail);
  const properties = isRecord(json.properties) ? json.properties : {};
  const required = new Set(Array.isArray(json.required) ? json.required : []);
  // Picoschema keys carry decorations (`name?`, `tags(array)`); find the written key for lines.
  const writtenKeys = isRecord(schema) && !isJsonSchema(schema) ? Object.keys(schema) : [];
  const lineOf = (name: string): number => {
    if (isJsonSchema(schema)) return r.line([...path, "properties", name]);
    const written = writtenKeys.find((k) => parseKey(k)?.name === name) ?? name;
    return r.line([...path, written]);
  };
  return Object.entries(properties).map(([name, spec]) => {
    const field = isRecord(spec) ? spec : {};
    const out: VariableSpec = { name, required: required.has(name), line: lineOf(name) };
    const type = typeOf(field);
    if (type) out.type = type;
    if (typeof field.description === "string") out.description = field.description;
    if (field.default !== undefined) out.default = field.default;
    return out;
  });
}
