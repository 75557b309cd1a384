// Splits `---`-delimited YAML front matter from the body of Dotprompt, Prompty and Markdown
// prompt files, remembering the file line where each part starts.

import type { Role } from "../model.js";
import { splitMessages, type RoleMarker } from "./body.js";
import type { ParseContext } from "./context.js";
import { emptyFields, FieldReader, isRecord, type PromptFields } from "./fields.js";
import { parseYaml, type YamlSource } from "./yaml.js";

export interface FrontMatterSplit {
  /** The YAML between the fences; undefined when the file has no front matter. */
  yaml?: string;
  /** File line of the YAML's first line. */
  yamlLine: number;
  body: string;
  /** File line of the body's first line. */
  bodyLine: number;
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

const COMMENT_OR_BLANK = /^(?:#.*|[ \t]*)$/;

export interface FrontMatterOptions {
  /**
   * Dotprompt reads `#` comment lines (licence headers) and blank lines before the opening
   * `---` as nothing; Prompty and Markdown front matter must open on line 1.
   */
  leadingComments?: boolean;
}

/** Where the opening `---` is: its offset and file line, or undefined when the file has none. */
function findOpening(text: string, options: FrontMatterOptions): { offset: number; line: number } | undefined {
  let offset = 0;
  let line = 1;
  for (;;) {
    const end = text.indexOf("\n", offset);
    const current = (end === -1 ? text.slice(offset) : text.slice(offset, end)).replace(/\r$/, "");
    if (OPEN.test(current)) return { offset, line };
    if (!options.leadingComments || end === -1 || !COMMENT_OR_BLANK.test(current)) return undefined;
    offset = end + 1;
    line++;
  }
}

/** Undefined (with a diagnostic) when the front matter is opened but never closed. */
export function splitFrontMatter(text: string, ctx: ParseContext, options: FrontMatterOptions = {}): FrontMatterSplit | undefined {
  const opening = findOpening(text, options);
  if (!opening) return { yamlLine: 1, body: text, bodyLine: 1 };
  const firstBreak = text.indexOf("\n", opening.offset);
  let offset = firstBreak === -1 ? text.length : firstBreak + 1;
  let line = opening.line + 1;
  while (offset < text.length) {
    const end = text.indexOf("\n", offset);
    const current = end === -1 ? text.slice(offset) : text.slice(offset, end);
    if (CLOSE.test(current)) {
      const yaml = text.slice(firstBreak + 1, offset);
      const body = end === -1 ? "" : text.slice(end + 1);
      return { yaml, yamlLine: opening.line + 1, body, bodyLine: line + 1 };
    }
    offset = end === -1 ? text.length : end + 1;
    line++;
  }
  ctx.error(opening.line, 1, `front matter opened with \`---\` on line ${opening.line} is never closed: add a \`---\` line after the YAML`, "front-matter");
  return undefined;
}

/** Parses the front matter YAML; an empty or missing one is an empty mapping. */
export function parseFrontMatter(split: FrontMatterSplit, ctx: ParseContext): YamlSource | undefined {
  const src = parseYaml(split.yaml ?? "", split.yamlLine, ctx);
  if (!src) return undefined;
  if (src.value !== null && src.value !== undefined && !isRecord(src.value)) {
    ctx.error(split.yamlLine, 1, "front matter must be a YAML mapping (`key: value` lines)", "schema");
    return undefined;
  }
  return src;
}

export function rawOf(src: YamlSource): Record<string, unknown> {
  return isRecord(src.value) ? src.value : {};
}

/** A front-matter prompt file read up to its body: a reader over the YAML and empty prompt fields. */
export interface FrontMatterDocument {
  r: FieldReader;
  fields: PromptFields;
  split: FrontMatterSplit;
}

/** Undefined (with a diagnostic) when the front matter is unclosed or not a YAML mapping. */
export function readFrontMatterDocument(text: string, ctx: ParseContext, options: FrontMatterOptions = {}): FrontMatterDocument | undefined {
  const split = splitFrontMatter(text, ctx, options);
  if (!split) return undefined;
  const src = parseFrontMatter(split, ctx);
  if (!src) return undefined;
  return { r: new FieldReader(src, ctx), fields: emptyFields(rawOf(src)), split };
}

/** Sets the document's messages from its body, split at `markers`; text before the first goes to `leadingRole`. */
export function readBodyMessages(doc: FrontMatterDocument, markers: readonly RoleMarker[], leadingRole: Role, ctx: ParseContext): void {
  const { split, fields } = doc;
  fields.messages = splitMessages(split.body, split.bodyLine, markers, leadingRole, ctx);
  fields.positions.messages = fields.messages[0]?.line ?? split.bodyLine;
}
