// Dotprompt `.prompt`: YAML front matter (model, config, input/output schemas in Picoschema
// or JSON Schema) and a Handlebars body split into messages at `{{role "..."}}` markers.

import type { Prompt } from "../model.js";
import { BodyLines, dotpromptBlockMarkers, dotpromptRoleMarkers, maskHandlebarsComments } from "./body.js";
import type { ParseContext } from "./context.js";
import { buildPrompt, isRecord, normalizeParameters, readNameAndModel, readPromptOps } from "./fields.js";
import { readBodyMessages, readFrontMatterDocument } from "./frontmatter.js";
import { picoschemaToJsonSchema, schemaVariables } from "./picoschema.js";

export function parseDotprompt(path: string, text: string, ctx: ParseContext): Prompt | undefined {
  const doc = readFrontMatterDocument(text, ctx, { leadingComments: true });
  if (!doc) return undefined;
  const { r, fields, split } = doc;

  readNameAndModel(r, fields);
  const config = r.record(["config"]);
  if (config) fields.parameters = normalizeParameters(config);

  if (r.record(["input"])) {
    fields.variables = schemaVariables(r, ["input", "schema"]);
    const defaults = r.record(["input", "default"]);
    for (const [name, value] of Object.entries(defaults ?? {})) {
      const declared = fields.variables.find((v) => v.name === name);
      if (declared) declared.default = value;
      else fields.variables.push({ name, default: value, line: r.line(["input", "default", name]) });
    }
  }
  if (r.record(["output"])) {
    // Dotprompt allows any format name (Genkit has json, text, media, array, enum, jsonl and
    // custom ones); only json and text map onto a response format, the rest stay in `raw`.
    const format = r.string(["output", "format"]);
    if (format === "json") fields.responseFormat = "json_object";
    else if (format === "text") fields.responseFormat = "text";
    const schema = r.get(["output", "schema"]);
    if (schema !== undefined && schema !== null) {
      fields.jsonSchema = picoschemaToJsonSchema(schema, (message) => r.fail(["output", "schema"], message));
    }
  }
  // Our block may override the Picoschema-derived variables with richer specs.
  const declaredBySchema = fields.variables;
  readPromptOps(r, [], fields);
  if (fields.variables !== declaredBySchema && isRecord(r.get(["input", "schema"]))) {
    r.fail(["promptops", "variables"], "variables are declared both in `input.schema` and `promptops.variables`; `promptops.variables` wins", "warning");
  }

  readBodyMessages(doc, dotpromptRoleMarkers(split.body), "user", ctx);
  // A message holding only Handlebars comments renders to nothing; the reference drops it.
  fields.messages = fields.messages.filter((m) => maskHandlebarsComments(m.content).trim() !== "");
  fields.positions.messages = fields.messages[0]?.line ?? split.bodyLine;
  const lines = new BodyLines(split.body, split.bodyLine);
  for (const block of dotpromptBlockMarkers(split.body)) {
    const pos = lines.pos(block.offset);
    ctx.error(
      pos.line,
      pos.column,
      `\`{{#${block.helper}}}\` block form is not Dotprompt: its \`${block.helper}\` helper ignores the block, so the text inside is never sent; write \`{{${block.helper === "role" ? 'role "system"' : "history"}}}\` on its own and the text after it`,
      "schema",
    );
  }
  if (fields.messages.length === 0 && !ctx.failed) ctx.error(split.bodyLine, 1, "the prompt template is empty: write it after the front matter", "schema");
  return buildPrompt(path, "dotprompt", fields);
}
