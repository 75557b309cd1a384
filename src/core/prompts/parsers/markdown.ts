// Markdown `.prompt.md`: GitHub-format fields in the front matter; the body holds the messages,
// split at Prompty-style role lines or `# System` / `## User` / `## Assistant` headings.

import type { Prompt } from "../model.js";
import { roleLineMarkers } from "./body.js";
import type { ParseContext } from "./context.js";
import { buildPrompt, readGithubFields } from "./fields.js";
import { readBodyMessages, readFrontMatterDocument } from "./frontmatter.js";

export function parseMarkdownPrompt(path: string, text: string, ctx: ParseContext): Prompt | undefined {
  const doc = readFrontMatterDocument(text, ctx);
  if (!doc) return undefined;
  const { r, fields, split } = doc;
  readGithubFields(r, fields);
  if (r.has(["messages"])) {
    r.fail(["messages"], "`messages` in the front matter is ignored: a .prompt.md file takes its messages from the body", "warning");
  }
  readBodyMessages(doc, roleLineMarkers(split.body, true), "user", ctx);
  if (fields.messages.length === 0 && !ctx.failed) ctx.error(split.bodyLine, 1, "the prompt body is empty: write the message text after the front matter", "schema");
  return buildPrompt(path, "markdown", fields);
}
