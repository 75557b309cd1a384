// Reads a golden-set file (JSONL, YAML, JSON or CSV) into a GoldenSet. A bad row is reported at
// its line and skipped; the other rows are kept.

import { parse as parseCsv, type Options as CsvOptions } from "csv-parse/sync";
import { yamlErrorMessage, yamlErrorMessages } from "../yaml-errors.js";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { caseFromRow, dedupeCases, isPlainObject } from "./cases.js";
import type { GoldenCase, GoldenSet } from "./model.js";

export type GoldenFormat = "jsonl" | "yaml" | "json" | "csv";

export interface ParsedGolden {
  set: GoldenSet;
  diagnostics: Diagnostic[];
}

export function goldenFormatOf(path: string): GoldenFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".yml") || lower.endsWith(".yaml")) return "yaml";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".csv")) return "csv";
  return undefined;
}

export function parseGoldenFile(path: string, text: string): ParsedGolden {
  const diagnostics: Diagnostic[] = [];
  const format = goldenFormatOf(path);
  let cases: GoldenCase[] = [];
  // A BOM (Windows editors) is not part of the JSON/YAML text; JSON.parse rejects it.
  const normalized = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, "\n");
  switch (format) {
    case "jsonl":
      cases = fromJsonLines(path, normalized, diagnostics);
      break;
    case "yaml":
      cases = fromYaml(path, normalized, diagnostics);
      break;
    case "json":
      cases = fromJson(path, normalized, diagnostics);
      break;
    case "csv":
      cases = fromCsv(path, normalized, diagnostics);
      break;
    default:
      diagnostics.push(problem(path, 1, 1, "unsupported golden-set file type; use .jsonl, .yml, .yaml, .json or .csv", "golden-format"));
  }
  return { set: { file: path, cases: dedupeCases(cases, diagnostics) }, diagnostics };
}

function problem(file: string, line: number, column: number, message: string, rule = "golden-syntax"): Diagnostic {
  return { file, line, column, severity: "error", message, rule };
}

function fromJsonLines(file: string, text: string, diagnostics: Diagnostic[]): GoldenCase[] {
  const cases: GoldenCase[] = [];
  // Line by line without an array of every line: a large set holds its text and its cases only.
  for (let start = 0, line = 1; start < text.length; line++) {
    const end = text.indexOf("\n", start);
    const raw = text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length : end + 1;
    if (raw.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch (e) {
      const column = jsonErrorOffset(e as Error, raw) + 1;
      // A row copied out of a JSON array keeps its separator; say so instead of "unexpected character".
      const hint = /[}\]"\d]\s*,\s*$/.test(raw) && isJson(raw.replace(/,\s*$/, ""))
        ? "; remove the trailing comma: JSONL has one JSON value per line and nothing between lines"
        : "";
      diagnostics.push(problem(file, line, column, `invalid JSON: ${jsonErrorText(e as Error)}${hint}`));
      continue;
    }
    const c = caseFromRow(row, { file, line }, diagnostics);
    if (c) cases.push(c);
  }
  return cases;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function fromJson(file: string, text: string, diagnostics: Diagnostic[]): GoldenCase[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const { line, column } = lineCol(text, jsonErrorOffset(e as Error, text));
    diagnostics.push(problem(file, line, column, `invalid JSON: ${jsonErrorText(e as Error)}`));
    return [];
  }
  // JSON is YAML, so the YAML parser gives each row's line; values still come from JSON.parse.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const itemNodes = doc.errors.length === 0 ? rowNodes(doc.contents) : undefined;
  const rows = rowsOf(value);
  if (!rows) {
    diagnostics.push(problem(file, 1, 1, "a JSON golden set must be an array of rows or an object with a \"cases\" array"));
    return [];
  }
  return collect(file, rows, (i) => lineOfNode(itemNodes?.[i], lineCounter), diagnostics);
}

function fromYaml(file: string, text: string, diagnostics: Diagnostic[]): GoldenCase[] {
  const lineCounter = new LineCounter();
  // merge: `<<: *defaults` rows are common in YAML test sets (js-yaml, yaml.v3 and PyYAML apply them).
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) {
    for (const { error: e, message } of yamlErrorMessages(doc.errors)) {
      const pos = lineCounter.linePos(e.pos[0]);
      diagnostics.push(problem(file, pos.line, pos.col, message));
    }
    return [];
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    diagnostics.push(problem(file, 1, 1, `cannot read YAML: ${yamlErrorMessage((e as Error).message)}`));
    return [];
  }
  if (value === null || value === undefined) return [];
  const rows = rowsOf(value);
  if (!rows) {
    diagnostics.push(problem(file, 1, 1, "a YAML golden set must be a list of rows or a mapping with a \"cases\" list"));
    return [];
  }
  const nodes = rowNodes(doc.contents);
  return collect(file, rows, (i) => lineOfNode(nodes?.[i], lineCounter), diagnostics);
}

/**
 * CSV through csv-parse, one pass per stretch between errors: a parse stops at the first broken
 * record, so the rows before it are kept (collected as they are parsed), the error is reported
 * where the record starts (an unclosed quote at the quote that opened it, not at the end of the
 * file), and parsing resumes on the next line to find every other error and row.
 */
function fromCsv(file: string, text: string, diagnostics: Diagnostic[]): GoldenCase[] {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const cases: GoldenCase[] = [];
  let columns: string[] | undefined;
  // 1-based line of the text where the current pass starts.
  let from = 1;
  while (from <= lineStarts.length) {
    const chunk = text.slice(lineStarts[from - 1]!);
    const offset = from - 1;
    let lastEnd = 0;
    try {
      parseCsv(chunk, {
        columns:
          columns ??
          ((header: string[]) => {
            const seen = new Set<string>();
            for (const h of header) {
              if (seen.has(h)) diagnostics.push(problem(file, from, 1, `duplicate column "${h}" in the header row`));
              seen.add(h);
            }
            columns = header.map((h) => h.trim());
            return columns;
          }),
        info: true,
        raw: true,
        skip_empty_lines: true,
        bom: from === 1,
        on_record: ({ record, raw, info }: { record: Record<string, string>; raw: string; info: { lines: number } }) => {
          lastEnd = info.lines;
          // csv-parse reports the line a record ends on; quoted values can span lines.
          const spanned = raw.replace(/^\n+/, "").replace(/\n$/, "").split("\n").length - 1;
          const c = csvCase(file, record, offset + info.lines - spanned, diagnostics);
          if (c) cases.push(c);
          return null;
        },
      } as unknown as CsvOptions);
      break;
    } catch (e) {
      const err = e as Error & { code?: string; lines?: number };
      if (columns === undefined) {
        diagnostics.push(problem(file, offset + (err.lines ?? 1), 1, csvMessage(err.message)));
        break;
      }
      // The broken record starts on the first non-empty line after the last good one (or the header).
      const headerLines = from === 1 ? 1 : 0;
      let recordStart = Math.max(lastEnd, headerLines) + 1;
      while (recordStart < lineStarts.length && lineText(text, lineStarts, offset + recordStart).trim() === "") recordStart++;
      const line = offset + recordStart;
      if (err.code === "CSV_QUOTE_NOT_CLOSED") {
        const column = openingQuoteColumn(lineText(text, lineStarts, line));
        diagnostics.push(problem(file, line, column, `invalid CSV: a quoted value opened here is never closed (add the closing ")`));
        from = line + 1;
      } else {
        const at = err.lines !== undefined ? offset + err.lines : line;
        diagnostics.push(problem(file, at, 1, csvMessage(err.message)));
        from = Math.max(at, line) + 1;
      }
    }
  }
  return cases;
}

function lineText(text: string, lineStarts: number[], line: number): string {
  const start = lineStarts[line - 1] ?? text.length;
  const next = lineStarts[line];
  return text.slice(start, next === undefined ? text.length : next - 1);
}

/** 1-based column of the first `"` that opens a field (at the line start or after a comma). */
function openingQuoteColumn(line: string): number {
  for (let i = 0; i < line.length; i++) if (line[i] === '"' && (i === 0 || line[i - 1] === ",")) return i + 1;
  return 1;
}

function csvCase(file: string, record: Record<string, string>, line: number, diagnostics: Diagnostic[]): GoldenCase | undefined {
  const row: Record<string, unknown> = {};
  const vars: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(record)) {
    if (column === "expected" || column === "__expected") row.expected = value === "" ? undefined : value;
    else if (column === "id" || column === "__id") {
      if (value !== "") row.id = value;
      if (column === "id") vars.id = value;
    } else if (column.startsWith("vars.")) vars[column.slice(5)] = value;
    else vars[column] = value;
  }
  row.vars = vars;
  return caseFromRow(row, { file, line }, diagnostics);
}

function csvMessage(message: string): string {
  return `invalid CSV: ${message.replace(/ on line \d+$/, "").replace(/ at line \d+/, "")}`;
}

function rowsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value) && Array.isArray(value.cases)) return value.cases;
  return undefined;
}

function rowNodes(contents: unknown): (Node | undefined)[] | undefined {
  if (isSeq(contents)) return contents.items as Node[];
  if (isMap(contents)) {
    const cases = contents.get("cases", true);
    if (isSeq(cases)) return cases.items as Node[];
  }
  return undefined;
}

function lineOfNode(node: Node | undefined, lineCounter: LineCounter): number {
  return node?.range ? lineCounter.linePos(node.range[0]).line : 1;
}

function collect(file: string, rows: unknown[], lineOf: (index: number) => number, diagnostics: Diagnostic[]): GoldenCase[] {
  const cases: GoldenCase[] = [];
  rows.forEach((row, i) => {
    const c = caseFromRow(row, { file, line: lineOf(i) }, diagnostics);
    if (c) cases.push(c);
  });
  return cases;
}

/**
 * Where JSON.parse failed, as a character offset. V8 words this differently across versions:
 * "at position 12", or only a snippet of the text around the unexpected token.
 */
function jsonErrorOffset(e: Error, text: string): number {
  const m = /at position (\d+)/.exec(e.message);
  if (m) return Number(m[1]);
  if (/Unexpected end of JSON input/.test(e.message)) return text.length;
  // The snippet starts 10 characters before the token when it is cut ("...").
  const snippet = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(e.message);
  if (snippet) {
    const [, token, cut, context] = snippet as unknown as [string, string, string | undefined, string];
    const start = text.indexOf(context);
    if (start >= 0) return start + (cut ? 10 : Math.max(0, context.indexOf(token)));
  }
  return 0;
}

function jsonErrorText(e: Error): string {
  return e.message.replace(/ in JSON at position \d+.*$/, "").replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, "");
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
