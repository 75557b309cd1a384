// Prompty `.prompty` v1 (`model: {api, configuration, parameters}`, `inputs` map, `sample`)
// and v2 (`model: {id, provider, connection, options}`, `inputSchema.properties` or an `inputs`
// list with `kind`), with a body split into messages at `system:` / `user:` / `assistant:` lines.
// `${file:...}` values are replaced by the referenced file's content (see parsers/references.ts).

import type { Prompt, VariableSpec } from "../model.js";
import { roleLineMarkers } from "./body.js";
import type { ParseContext } from "./context.js";
import { buildPrompt, describe, FieldReader, isRecord, normalizeParameters, readPromptOps, type PromptFields } from "./fields.js";
import type { YamlPath } from "./yaml.js";
import { readBodyMessages, readFrontMatterDocument } from "./frontmatter.js";
import { substituteReferences } from "./references.js";
import { toolDefinitions } from "../tools.js";

export function parsePrompty(path: string, text: string, ctx: ParseContext): Prompt | undefined {
  const doc = readFrontMatterDocument(text, ctx);
  if (!doc) return undefined;
  const { r, fields, split } = doc;
  // `${file:}` values become the referenced file's content before any field is read.
  substituteReferences(r, path, ctx);

  fields.name = r.string(["name"]);
  fields.description = r.string(["description"]);
  readModel(r, fields);
  // v2 (AgentSchema) declares inputs under `inputSchema.properties`; v1 under `inputs`.
  if (r.has(["inputSchema"])) fields.variables = readInputs(r, ["inputSchema", "properties"]);
  else if (r.has(["inputs"])) fields.variables = readInputs(r, ["inputs"]);
  readSample(r, fields);
  // Tools change what the model may do (a tool's description is an instruction), so they are kept.
  const tools = r.list(["tools"]);
  if (tools) {
    fields.tools = tools;
    for (const problem of toolDefinitions(tools).problems) r.fail(["tools", problem.index], problem.message);
  }
  readPromptOps(r, [], fields);

  // Prompty's own parser gives text before the first role line to the system.
  readBodyMessages(doc, roleLineMarkers(split.body, false), "system", ctx);
  if (fields.messages.length === 0 && !ctx.failed) ctx.error(split.bodyLine, 1, "the prompt body is empty: write `system:` / `user:` sections after the front matter", "schema");
  return buildPrompt(path, "prompty", fields);
}

function readModel(r: FieldReader, fields: PromptFields): void {
  const model = r.get(["model"]);
  if (model === undefined || model === null) return;
  fields.positions.model = r.line(["model"]);
  if (typeof model === "string") {
    fields.model = model;
    return;
  }
  if (!isRecord(model)) {
    r.fail(["model"], "`model` must be a model name or a mapping");
    return;
  }
  refuseNonChat(r);
  const id = r.string(["model", "id"]);
  if (id !== undefined || model.provider !== undefined || model.options !== undefined) {
    // v2
    const provider = r.string(["model", "provider"]);
    if (id === undefined) r.fail(["model"], "`model.id` is missing");
    else fields.model = provider && !id.startsWith(`${provider}/`) ? `${provider}/${id}` : id;
    takeParameters(r, fields, r.record(["model", "options"]));
    return;
  }
  // v1
  const config = r.record(["model", "configuration"]) ?? {};
  const type = typeof config.type === "string" ? config.type : undefined;
  const pick = (...keys: string[]) => keys.map((k) => config[k]).find((v): v is string => typeof v === "string" && v !== "");
  let name: string | undefined;
  let provider: string | undefined = type;
  if (type === "azure_openai" || type === "azure") {
    provider = "azure";
    name = pick("azure_deployment", "name", "model");
  } else {
    name = pick("name", "model", "azure_deployment");
  }
  if (name === undefined) {
    if (Object.keys(config).length > 0) r.fail(["model", "configuration"], "`model.configuration` names no model (`name` or `azure_deployment`)", "warning");
  } else {
    fields.model = provider && !name.startsWith(`${provider}/`) ? `${provider}/${name}` : name;
  }
  takeParameters(r, fields, r.record(["model", "parameters"]));
}

// Prompty sends a file to the API its model names: v1 `api` (chat or completion), v2 `apiType`
// (chat, responses, embedding, image, ...). PromptOps runs conversations, so anything else would
// be evaluated as a chat prompt it is not: it is refused rather than misread.
const CONVERSATION_APIS = new Set(["chat", "responses"]);

function refuseNonChat(r: FieldReader): void {
  for (const key of ["api", "apiType"]) {
    const api = r.string(["model", key]);
    if (api !== undefined && !CONVERSATION_APIS.has(api.trim().toLowerCase())) {
      r.fail(["model", key], `\`model.${key}: ${api}\` is not a chat prompt: PromptOps reviews chat (and responses) prompts only, so this file is not evaluated`);
    }
  }
}

/** Parameters, with an OpenAI-style `response_format` moved to `responseFormat`. */
function takeParameters(r: FieldReader, fields: PromptFields, params: Record<string, unknown> | undefined): void {
  if (!params) return;
  const normalized = normalizeParameters(params);
  const format = normalized.responseFormat;
  if (isRecord(format) && (format.type === "text" || format.type === "json_object" || format.type === "json_schema")) {
    fields.responseFormat = format.type;
    if (format.type === "json_schema" && format.json_schema !== undefined) fields.jsonSchema = format.json_schema;
    delete normalized.responseFormat;
  }
  fields.parameters = normalized;
}

function readSample(r: FieldReader, fields: PromptFields): void {
  const sample = r.get(["sample"]);
  if (sample === undefined || sample === null) return;
  fields.positions.testData = r.line(["sample"]);
  if (isRecord(sample)) fields.testData.push(sample);
  else if (Array.isArray(sample)) fields.testData.push(...r.testData(["sample"]));
  else r.fail(["sample"], `\`sample\` must be a mapping of input values (or a \`\${file:...}\` reference to a JSON or YAML file holding them), not ${describe(sample)}; it is not used`, "warning");
}

const TYPE_NAMES = new Set(["string", "number", "integer", "float", "boolean", "bool", "object", "array", "list", "thread", "image", "file"]);

/**
 * Prompty inputs as the Prompty runtime reads them: a mapping `name: {type|kind, description,
 * required, default, sample}` or a list of `{name, kind, ...}` (v2 `inputSchema.properties`).
 * A scalar value is the input's default (`lastName: Doe`), as the runtime's v1 migration does;
 * a bare type name (`question: string`) is still read as the type, the common hand-written form.
 * An input's `sample` is its default when it has none, again as the migration does.
 */
function readInputs(r: FieldReader, path: YamlPath): VariableSpec[] {
  const value = r.get(path);
  if (value === undefined || value === null) return [];
  const entries: [string, unknown, YamlPath][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isRecord(item) && typeof item.name === "string" && item.name !== "") entries.push([item.name, item, [...path, i]]);
      else r.fail([...path, i], `input ${i + 1} must be a mapping with a \`name\``);
    });
  } else if (isRecord(value)) {
    for (const [name, spec] of Object.entries(value)) entries.push([name, spec, [...path, name]]);
  } else {
    r.fail(path, `\`${path.join(".")}\` must be a mapping of inputs or a list of them, not ${describe(value)}`);
    return [];
  }
  return entries.map(([name, spec, at]) => {
    const out: VariableSpec = { name, line: r.line(at) };
    if (!isRecord(spec)) {
      if (typeof spec === "string" && TYPE_NAMES.has(spec.trim().toLowerCase())) out.type = spec.trim();
      else if (spec !== null && spec !== undefined) out.default = spec;
      return out;
    }
    const type = spec.type ?? spec.kind;
    if (typeof type === "string") out.type = type;
    if (typeof spec.required === "boolean") out.required = spec.required;
    else if (spec.required !== undefined) r.fail([...at, "required"], `\`required\` of input \`${name}\` must be true or false`);
    if (typeof spec.description === "string") out.description = spec.description;
    const fallback = spec.default !== undefined ? spec.default : spec.sample;
    if (fallback !== undefined) out.default = fallback;
    return out;
  });
}
