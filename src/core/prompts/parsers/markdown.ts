// Markdown `.prompt.md`: GitHub-format fields in the front matter; the body holds the messages,
// split at Prompty-style role lines or `# System` / `## User` / `## Assistant` headings.

import type { Prompt } from "../model.js";
import { roleLineMarkers, splitMessages } from "./body.js";
import type { ParseContext } from "./context.js";
import { buildPrompt, emptyFields, FieldReader, readGithubFields } from "./fields.js";
import { parseFrontMatter, rawOf, splitFrontMatter } from "./frontmatter.js";

export function parseMarkdownPrompt(path: string, text: string, ctx: ParseContext): Prompt | undefined {
  const split = splitFrontMatter(text, ctx);
  if (!split) return undefined;
  const src = parseFrontMatter(split, ctx);
  if (!src) return undefined;
  const r = new FieldReader(src, ctx);
  const fields = emptyFields(rawOf(src));
  readGithubFields(r, fields);
  if (r.has(["messages"])) {
    r.fail(["messages"], "`messages` in the front matter is ignored: a .prompt.md file takes its messages from the body", "warning");
  }
  fields.messages = splitMessages(split.body, split.bodyLine, roleLineMarkers(split.body, true), "user", ctx);
  fields.positions.messages = fields.messages[0]?.line ?? split.bodyLine;
  if (fields.messages.length === 0 && !ctx.failed) ctx.error(split.bodyLine, 1, "the prompt body is empty: write the message text after the front matter", "schema");
  return buildPrompt(path, "markdown", fields);
}
