// Field readers shared by every format: they take plain YAML data, check its type, report a
// `schema` diagnostic at the offending node's line, and fill the one Prompt model.

import type { EvaluatorSpec, Prompt, PromptFormat, PromptMessage, Role, VariableSpec } from "../model.js";
import { defaultPromptId } from "../formats.js";
import type { ParseContext } from "./context.js";
import type { YamlPath, YamlSource } from "./yaml.js";

/** Everything a format parser produces; `buildPrompt` adds path, format and the default id. */
export type PromptFields = Omit<Prompt, "path" | "format" | "id"> & { id?: string };

export function emptyFields(raw: Record<string, unknown>): PromptFields {
  return { parameters: {}, messages: [], variables: [], testData: [], evaluators: [], owners: [], positions: {}, raw };
}

export function buildPrompt(path: string, format: PromptFormat, fields: PromptFields): Prompt {
  const prompt: Prompt = { ...fields, path, format, id: fields.id ?? defaultPromptId(path) };
  // Drop undefined optionals so prompts from different formats compare equal with toEqual.
  for (const key of Object.keys(prompt) as (keyof Prompt)[]) {
    if (prompt[key] === undefined) delete prompt[key];
  }
  return prompt;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function valueAt(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === "number") current = current[key];
    else if (isRecord(current) && typeof key === "string") current = current[key];
    else return undefined;
  }
  return current;
}

function fieldName(path: YamlPath): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

/** Reads YAML values at paths and reports wrong types where they are written. */
export class FieldReader {
  constructor(
    readonly src: YamlSource,
    readonly ctx: ParseContext,
  ) {}

  get(path: YamlPath): unknown {
    return valueAt(this.src.value, path);
  }

  has(path: YamlPath): boolean {
    const v = this.get(path);
    return v !== undefined && v !== null;
  }

  line(path: YamlPath): number {
    return this.src.line(path);
  }

  fail(path: YamlPath, message: string, severity: "error" | "warning" = "error"): void {
    // A block mapping or list is best pointed at by its `key:` line; a scalar by the value itself.
    const pos = this.src.isCollection(path) ? this.src.pos(path) : this.src.valuePos(path);
    this.ctx.report(severity, pos.line, pos.column, message, "schema");
  }

  string(path: YamlPath): string | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return this.src.sourceText(path) ?? String(v);
    this.fail(path, `\`${fieldName(path)}\` must be a string, not ${describe(v)}`);
    return undefined;
  }

  record(path: YamlPath): Record<string, unknown> | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (isRecord(v)) return v;
    this.fail(path, `\`${fieldName(path)}\` must be a mapping, not ${describe(v)}`);
    return undefined;
  }

  list(path: YamlPath): unknown[] | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v;
    this.fail(path, `\`${fieldName(path)}\` must be a list, not ${describe(v)}`);
    return undefined;
  }

  stringList(path: YamlPath): string[] | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) {
      const out: string[] = [];
      v.forEach((item, i) => {
        if (typeof item === "string") out.push(item);
        else this.fail([...path, i], `\`${fieldName(path)}\` entries must be strings, not ${describe(item)}`);
      });
      return out;
    }
    this.fail(path, `\`${fieldName(path)}\` must be a string or a list of strings, not ${describe(v)}`);
    return undefined;
  }

  /** GitHub-style `[{role, content}]` messages. */
  messages(path: YamlPath): PromptMessage[] {
    const list = this.list(path);
    const out: PromptMessage[] = [];
    if (list?.length === 0) this.fail(path, `\`${fieldName(path)}\` is empty: a prompt needs at least one message`);
    list?.forEach((item, i) => {
      const at = [...path, i];
      if (!isRecord(item)) {
        this.fail(at, `\`${fieldName(at)}\` must be a mapping with \`role\` and \`content\`, not ${describe(item)}`);
        return;
      }
      const roleText = item.role;
      const role = typeof roleText === "string" ? roleOf(roleText) : undefined;
      if (role === undefined) {
        this.fail(
          item.role === undefined ? at : [...at, "role"],
          item.role === undefined
            ? `\`${fieldName(at)}\` has no \`role\``
            : `\`${fieldName([...at, "role"])}\` must be one of system, user, assistant, developer; got ${JSON.stringify(roleText)}`,
        );
      }
      if (role !== undefined && typeof roleText === "string" && !GH_MODELS_ROLES.has(roleText.trim().toLowerCase())) {
        // gh models only knows system/user/assistant: the same file would fail `gh models eval`.
        this.fail([...at, "role"], `\`gh models\` rejects role ${JSON.stringify(roleText)} (it accepts system, user, assistant); PromptOps reads it as \`${role}\``, "warning");
      }
      const content = item.content;
      if (typeof content !== "string") {
        const parts = Array.isArray(content);
        this.fail(
          content === undefined ? at : [...at, "content"],
          content === undefined
            ? `\`${fieldName(at)}\` has no \`content\``
            : parts
              ? `\`${fieldName([...at, "content"])}\` is a list of content parts (OpenAI style); a .prompt.yml message's content must be one string (gh models rejects parts): write the text as a block (\`content: |\`)`
              : `\`${fieldName([...at, "content"])}\` must be a string, not ${describe(content)}`,
        );
        return;
      }
      if (role === undefined) return;
      out.push({ role, content: content.trimEnd(), line: this.src.textLine([...at, "content"]) });
    });
    return out;
  }

  /** Rows of variables (GitHub's `testData`, a Prompty `sample`). */
  testData(path: YamlPath): Record<string, unknown>[] {
    const list = this.list(path);
    const out: Record<string, unknown>[] = [];
    list?.forEach((row, i) => {
      if (isRecord(row)) out.push(row);
      else this.fail([...path, i], `\`${fieldName([...path, i])}\` must be a mapping of variable values, not ${describe(row)}`);
    });
    return out;
  }

  evaluators(path: YamlPath): EvaluatorSpec[] {
    const list = this.list(path);
    const out: EvaluatorSpec[] = [];
    list?.forEach((item, i) => {
      const at = [...path, i];
      if (typeof item === "string") {
        // A bare name such as `is-json` (promptfoo style).
        out.push({ name: item, spec: { type: item }, line: this.src.valuePos(at).line });
        return;
      }
      if (!isRecord(item)) {
        this.fail(at, `\`${fieldName(at)}\` must be a mapping, not ${describe(item)}`);
        return;
      }
      const name = [item.name, item.type, item.uses].find((v): v is string => typeof v === "string" && v !== "") ?? `evaluator-${i + 1}`;
      out.push({ name, spec: item, line: this.src.valuePos(at).line });
    });
    return out;
  }

  /** `promptops.variables`: `{name: {type, required, description, default}}`, `{name: type}` or a list. */
  variables(path: YamlPath): VariableSpec[] {
    const v = this.get(path);
    if (v === undefined || v === null) return [];
    const out: VariableSpec[] = [];
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const at = [...path, i];
        if (typeof item === "string") out.push({ name: item, line: this.src.valuePos(at).line });
        else if (isRecord(item) && typeof item.name === "string") out.push(this.variableSpec(item.name, item, at, this.src.valuePos(at).line));
        else this.fail(at, `\`${fieldName(at)}\` must be a variable name or a mapping with \`name\``);
      });
      return out;
    }
    if (!isRecord(v)) {
      this.fail(path, `\`${fieldName(path)}\` must be a mapping of variable names to specs, not ${describe(v)}`);
      return [];
    }
    for (const [name, spec] of Object.entries(v)) {
      const at = [...path, name];
      const line = this.line(at);
      if (spec === null || spec === undefined) out.push({ name, line });
      else if (typeof spec === "string") out.push({ name, type: spec, line });
      else if (isRecord(spec)) out.push(this.variableSpec(name, spec, at, line));
      else this.fail(at, `variable \`${name}\` must be a type name or a mapping {type, required, description}`);
    }
    return out;
  }

  private variableSpec(name: string, spec: Record<string, unknown>, at: YamlPath, line: number): VariableSpec {
    const out: VariableSpec = { name, line };
    const type = spec.type ?? spec.kind;
    if (typeof type === "string") out.type = type;
    if (spec.required !== undefined) {
      if (typeof spec.required === "boolean") out.required = spec.required;
      else this.fail([...at, "required"], `\`required\` of variable \`${name}\` must be true or false`);
    }
    if (typeof spec.description === "string") out.description = spec.description;
    if (spec.default !== undefined) out.default = spec.default;
    return out;
  }
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a mapping";
  if (typeof value === "string") return "a string";
  return `a ${typeof value}`;
}

/** The roles gh-models' loader accepts (case-insensitive); anything else fails `gh models run/eval`. */
const GH_MODELS_ROLES = new Set(["system", "user", "assistant"]);

/** Chat roles as written in files; `developer` is OpenAI's newer name for `system`. */
export function roleOf(text: string): Role | undefined {
  switch (text.trim().toLowerCase()) {
    case "system":
    case "developer":
      return "system";
    case "user":
    case "human":
      return "user";
    case "assistant":
    case "model":
      return "assistant";
    default:
      return undefined;
  }
}

const PARAMETER_ALIASES: Record<string, string> = {
  maxOutputTokens: "maxTokens",
  stopSequences: "stop",
};

/**
 * One spelling for model parameters across formats (GitHub's camelCase: `maxTokens`, `topP`),
 * so the same prompt written as Dotprompt, Prompty or GitHub YAML has equal parameters.
 */
export function normalizeParameters(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    out[PARAMETER_ALIASES[camel] ?? camel] = value;
  }
  return out;
}

const PROMPTOPS_KEYS = new Set(["id", "version", "owners", "golden", "variables", "exampleOutput", "description", "testData", "evaluators"]);

/** Our own block, the same in every format: `promptops: {id, version, owners, golden, ...}`. */
export function readPromptOps(r: FieldReader, base: YamlPath, fields: PromptFields): void {
  const path = [...base, "promptops"];
  const block = r.record(path);
  if (!block) return;
  for (const key of Object.keys(block)) {
    if (!PROMPTOPS_KEYS.has(key)) r.fail([...path, key], `unknown key \`promptops.${key}\` (known: ${[...PROMPTOPS_KEYS].join(", ")})`, "warning");
  }
  const id = r.string([...path, "id"]);
  if (id !== undefined) {
    if (id.trim() === "") r.fail([...path, "id"], "`promptops.id` must not be empty");
    else {
      fields.id = id.trim();
      fields.positions.id = r.line([...path, "id"]);
    }
  }
  const version = r.string([...path, "version"]);
  if (version !== undefined) {
    fields.version = version;
    fields.positions.version = r.line([...path, "version"]);
  }
  const owners = r.stringList([...path, "owners"]);
  if (owners) {
    fields.owners = owners;
    fields.positions.owners = r.line([...path, "owners"]);
  }
  const golden = r.string([...path, "golden"]);
  if (golden !== undefined) {
    fields.golden = golden;
    fields.positions.golden = r.line([...path, "golden"]);
  }
  if (r.has([...path, "variables"])) fields.variables = r.variables([...path, "variables"]);
  const example = r.get([...path, "exampleOutput"]);
  if (typeof example === "string") fields.exampleOutput = example;
  else if (example !== undefined && example !== null) fields.exampleOutput = JSON.stringify(example);
  const description = r.string([...path, "description"]);
  if (description !== undefined && fields.description === undefined) fields.description = description;
  if (r.has([...path, "testData"])) {
    fields.testData.push(...r.testData([...path, "testData"]));
    fields.positions.testData ??= r.line([...path, "testData"]);
  }
  if (r.has([...path, "evaluators"])) fields.evaluators.push(...r.evaluators([...path, "evaluators"]));
}

/** `name`, `description` and `model` at the document root, as GitHub Models and Dotprompt write them. */
export function readNameAndModel(r: FieldReader, fields: PromptFields): void {
  fields.name = r.string(["name"]);
  fields.description = r.string(["description"]);
  const model = r.string(["model"]);
  if (model !== undefined) {
    fields.model = model;
    fields.positions.model = r.line(["model"]);
  }
}

/**
 * The GitHub Models fields, used by `.prompt.yml` (at the document root) and `.prompt.md`
 * (in the front matter). `messages` is read by the caller since Markdown takes them from the body.
 */
export function readGithubFields(r: FieldReader, fields: PromptFields): void {
  readNameAndModel(r, fields);
  const params = r.record(["modelParameters"]);
  if (params) fields.parameters = normalizeParameters(params);
  const format = r.string(["responseFormat"]);
  if (format !== undefined) {
    if (format === "text" || format === "json_object" || format === "json_schema") fields.responseFormat = format;
    else r.fail(["responseFormat"], `\`responseFormat\` must be one of text, json_object, json_schema; got ${JSON.stringify(format)}`);
  }
  const schema = r.get(["jsonSchema"]);
  if (typeof schema === "string") {
    // GitHub's loader takes a JSON string; keep the parsed object for providers.
    try {
      fields.jsonSchema = JSON.parse(schema);
    } catch (err) {
      r.fail(["jsonSchema"], `\`jsonSchema\` is not valid JSON: ${(err as Error).message}`);
    }
  } else if (isRecord(schema)) {
    fields.jsonSchema = schema;
  } else if (schema !== undefined && schema !== null) {
    r.fail(["jsonSchema"], `\`jsonSchema\` must be a JSON string or a mapping, not ${describe(schema)}`);
  }
  if (fields.responseFormat === "json_schema" && schema === undefined) {
    r.fail(["responseFormat"], "`responseFormat: json_schema` needs a `jsonSchema`");
  }
  if (r.has(["testData"])) {
    fields.testData = r.testData(["testData"]);
    fields.positions.testData = r.line(["testData"]);
  }
  if (r.has(["evaluators"])) fields.evaluators = r.evaluators(["evaluators"]);
  readPromptOps(r, [], fields);
}
