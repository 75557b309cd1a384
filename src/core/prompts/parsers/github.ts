// GitHub Models `.prompt.yml`: the document is GitHub's schema plus our `promptops:` block.
// Every field is kept in `raw`, so the file still runs with `gh models eval`.

import { closest } from "../../closest.js";
import type { ParseContext } from "./context.js";
import { buildPrompt, describe, emptyFields, FieldReader, isRecord, readGithubFields } from "./fields.js";
import { parseYaml } from "./yaml.js";
import type { Prompt } from "../model.js";

export function parseGithubPrompt(path: string, text: string, ctx: ParseContext): Prompt | undefined {
  const src = parseYaml(text, 1, ctx);
  if (!src) return undefined;
  if (!isRecord(src.value)) {
    ctx.error(1, 1, `a .prompt.yml file must be a YAML mapping with \`messages\`, not ${describe(src.value)}`, "schema");
    return undefined;
  }
  const r = new FieldReader(src, ctx);
  const fields = emptyFields(src.value);
  checkKeys(r, src.value);
  readGithubFields(r, fields);
  if (!r.has(["messages"])) {
    ctx.error(1, 1, "`messages` is missing: a prompt needs at least one message", "schema");
  } else {
    fields.messages = r.messages(["messages"]);
    fields.positions.messages = r.line(["messages"]);
  }
  return buildPrompt(path, "github", fields);
}

// The keys of gh-models' `prompt.File` and `ModelParameters`. Its loader ignores any other key, so
// `modelParamters:` would silently lose the temperature: PromptOps refuses it instead. Keys
// starting with `x-` are extension fields (the Compose convention), kept for YAML anchors.
const GITHUB_KEYS = ["name", "description", "model", "modelParameters", "responseFormat", "jsonSchema", "messages", "testData", "evaluators", "promptops"];
const GITHUB_PARAMETERS: Record<string, "integer" | "number"> = { maxTokens: "integer", temperature: "number", topP: "number" };

function checkKeys(r: FieldReader, doc: Record<string, unknown>): void {
  const unknown = (path: (string | number)[], known: string[], severity: "error" | "warning", what: string) => {
    const key = String(path[path.length - 1]);
    const hint = closest(key, known);
    const pos = r.src.pos(path);
    const suffix = hint ? ` (did you mean \`${hint}\`?)` : ` (known: ${known.join(", ")})`;
    r.ctx.report(severity, pos.line, pos.column, `unknown ${what} \`${key}\`${suffix}`, "schema");
  };
  for (const key of Object.keys(doc)) {
    if (!GITHUB_KEYS.includes(key) && !key.startsWith("x-")) unknown([key], GITHUB_KEYS, "error", "key");
  }
  const params = doc.modelParameters;
  if (!isRecord(params)) return;
  const known = Object.keys(GITHUB_PARAMETERS);
  for (const [key, value] of Object.entries(params)) {
    const type = GITHUB_PARAMETERS[key];
    if (type === undefined) {
      // A near miss of a parameter gh models knows is a typo; anything else (`seed`, `stop`) is
      // passed to the provider by PromptOps although gh models drops it.
      if (closest(key, known)) unknown(["modelParameters", key], known, "error", "model parameter");
      else {
        const pos = r.src.pos(["modelParameters", key]);
        r.ctx.warning(pos.line, pos.column, `\`modelParameters.${key}\` is not one of ${known.join(", ")}: gh models ignores it; PromptOps passes it to the provider`);
      }
      continue;
    }
    if (value === null || value === undefined) continue;
    const ok = typeof value === "number" && Number.isFinite(value) && (type === "number" || Number.isInteger(value));
    if (!ok) r.fail(["modelParameters", key], `\`modelParameters.${key}\` must be ${type === "integer" ? "a whole number" : "a number"}, not ${typeof value === "number" ? value : describe(value)}`);
  }
}
