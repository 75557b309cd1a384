// Reads any prompt file format into the one Prompt model. Never throws: every problem is a
// Diagnostic on the file (with a line when there is one) and other files carry on.

import type { Diagnostic } from "../diagnostics.js";
import { formatBytes, MAX_FILE_BYTES, unreadableReason, type FileBlob } from "../files.js";
import { promptFormatOf } from "./formats.js";
import type { Prompt, PromptFormat } from "./model.js";
import { ParseContext } from "./parsers/context.js";
import { parseDotprompt } from "./parsers/dotprompt.js";
import { parseGithubPrompt } from "./parsers/github.js";
import { parseMarkdownPrompt } from "./parsers/markdown.js";
import { parsePrompty } from "./parsers/prompty.js";

export interface ParseResult {
  /** Absent when the file cannot be read as a prompt at all; present (maybe partial) alongside schema errors. */
  prompt?: Prompt;
  diagnostics: Diagnostic[];
  /** Repository paths of the files the prompt's `${file:}` references read (their content is part of the prompt). */
  references: string[];
}

export interface ParseOptions {
  /** Files the prompt's `${file:}` references may name, read from the same revision (see `readReferencedFiles`). */
  files?: ReadonlyMap<string, FileBlob>;
}

const PARSERS: Record<PromptFormat, (path: string, text: string, ctx: ParseContext) => Prompt | undefined> = {
  github: parseGithubPrompt,
  dotprompt: parseDotprompt,
  prompty: parsePrompty,
  markdown: parseMarkdownPrompt,
};

function utf8Length(text: string): number {
  // Cheap bounds first: a UTF-16 unit is 1..3 UTF-8 bytes.
  if (text.length * 3 <= MAX_FILE_BYTES) return text.length;
  if (text.length > MAX_FILE_BYTES) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

export function parsePrompt(path: string, text: string, options: ParseOptions = {}): ParseResult {
  const ctx = new ParseContext(path, options.files);
  const done = (): ParseResult => ({ diagnostics: ctx.diagnostics, references: ctx.referenced });
  const format = promptFormatOf(path);
  if (format === undefined) {
    ctx.error(1, 1, "not a prompt file: use .prompt.yml, .prompt.yaml, .prompt, .prompty or .prompt.md", "unknown-format");
    return done();
  }
  const size = utf8Length(text);
  if (size > MAX_FILE_BYTES) {
    ctx.error(1, 1, `file is ${formatBytes(size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit for prompt files; it was not parsed`, "file-too-large");
    return done();
  }
  // Lines stay the same: CRLF becomes LF, a lone CR becomes LF.
  const clean = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, "\n");
  if (clean.trim() === "") {
    ctx.error(1, 1, "file is empty", "empty-file");
    return done();
  }
  let prompt: Prompt | undefined;
  try {
    prompt = PARSERS[format](path, clean, ctx);
  } catch (err) {
    // A parser bug must not take down the review of other files.
    ctx.error(1, 1, `internal error while parsing: ${(err as Error).message}`, "parse-internal");
    prompt = undefined;
  }
  return { ...done(), prompt };
}

/** Like `parsePrompt`, for a blob read from a tree: binary, too-large and missing blobs get one diagnostic each. */
export function parsePromptBlob(path: string, blob: FileBlob, options: ParseOptions = {}): ParseResult {
  const diag = (rule: string, message: string): ParseResult => ({
    diagnostics: [{ file: path, line: 1, column: 1, severity: "error", message, rule }],
    references: [],
  });
  switch (blob.kind) {
    case "text":
      return parsePrompt(path, blob.text, options);
    case "binary":
      if (blob.invalidUtf8) {
        const { line, column } = blob.invalidUtf8;
        return {
          diagnostics: [{ file: path, line, column, severity: "error", rule: "invalid-utf8", message: "file is not valid UTF-8 here (a byte sequence no UTF-8 text contains): save the file as UTF-8" }],
          references: [],
        };
      }
      return diag("binary-file", `file is binary (${formatBytes(blob.size)}; NUL bytes or invalid UTF-8), not a text prompt`);
    case "too-large":
      return diag("file-too-large", `file is ${formatBytes(blob.size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit for prompt files; it was not parsed`);
    case "missing":
      return diag("missing-file", "file does not exist at this revision");
    case "outside":
      return diag("outside-repository", `file ${unreadableReason(blob)}`);
  }
}
