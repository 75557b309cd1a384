// GitHub Models `.prompt.yml`: the document is GitHub's schema plus our `promptops:` block.
// Every field is kept in `raw`, so the file still runs with `gh models eval`.

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
  readGithubFields(r, fields);
  if (!r.has(["messages"])) {
    ctx.error(1, 1, "`messages` is missing: a prompt needs at least one message", "schema");
  } else {
    fields.messages = r.messages(["messages"]);
    fields.positions.messages = r.line(["messages"]);
  }
  return buildPrompt(path, "github", fields);
}
