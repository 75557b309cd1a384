// Reads a golden-set file (JSONL, YAML, JSON or CSV) into a GoldenSet. A bad row is reported at
// its line and skipped; the other rows are kept. Rows go to the set as they are read (JSONL line
// by line, CSV record by record), and a large set packs them (pack.ts).

import { parse as parseCsv, type Options as CsvOptions } from "csv-parse/sync";
import { yamlErrorMessage, yamlErrorMessages } from "../yaml-errors.js";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { isUtf8 } from "node:buffer";
import type { Diagnostic } from "../diagnostics.js";
import { firstInvalidUtf8, type FileBlob } from "../files.js";
import { caseFromRow, isPlainObject } from "./cases.js";
import type { GoldenCase, GoldenSet } from "./model.js";
import { collectGolden } from "./pack.js";

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

/**
 * `content`: the file's text, or its UTF-8 bytes (already checked to be UTF-8). JSON Lines with
 * `\n` line ends are read from the bytes a line at a time, so a large set is never one string.
 */
export function parseGoldenFile(path: string, content: string | Uint8Array): ParsedGolden {
  const diagnostics: Diagnostic[] = [];
  const format = goldenFormatOf(path);
  const collector = collectGolden(path, diagnostics, { packable: format !== "yaml" });
  const add = (c: GoldenCase) => collector.add(c);
  if (format === "jsonl" && typeof content !== "string" && !content.includes(0x0d)) {
    fromJsonLines(path, linesOfBytes(content), add, diagnostics);
    return { set: collector.finish(), diagnostics };
  }
  const text = typeof content === "string" ? content : new TextDecoder("utf-8").decode(content);
  // A BOM (Windows editors) is not part of the JSON/YAML text; JSON.parse rejects it.
  const normalized = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, "\n");
  switch (format) {
    case "jsonl":
      fromJsonLines(path, linesOfText(normalized), add, diagnostics);
      break;
    case "yaml":
      fromYaml(path, normalized, add, diagnostics);
      break;
    case "json":
      fromJson(path, normalized, add, diagnostics);
      break;
    case "csv":
      fromCsv(path, normalized, add, diagnostics);
      break;
    default:
      diagnostics.push(problem(path, 1, 1, "unsupported golden-set file type; use .jsonl, .yml, .yaml, .json or .csv", "golden-format"));
  }
  return { set: collector.finish(), diagnostics };
}

function problem(file: string, line: number, column: number, message: string, rule = "golden-syntax"): Diagnostic {
  return { file, line, column, severity: "error", message, rule };
}

/** The lines of a text split on `\n`, without an array of them all. */
function* linesOfText(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf("\n", start);
    yield text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length : end + 1;
  }
}

/** The lines of UTF-8 bytes split on `\n` (after a BOM), each decoded on its own. */
function* linesOfBytes(content: Uint8Array): Generator<string> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    yield bytes.toString("utf8", start, stop);
    start = stop + 1;
  }
}

function fromJsonLines(file: string, lines: Iterable<string>, add: (c: GoldenCase) => void, diagnostics: Diagnostic[]): void {
  // Line by line: each row goes to the set as it is read.
  let line = 0;
  for (const raw of lines) jsonLine(file, raw, ++line, add, diagnostics);
}

/**
 * A JSON Lines or CSV golden file read from its chunks as they arrive: the file is never held
 * whole (memory holds one chunk, a line that spans chunks or a stretch of CSV records, and the
 * packed set). Lines end at `\n`,
 * `\r\n` or `\r`, as in a file read whole. A NUL byte or bytes that are not UTF-8 make the file
 * unreadable, as `blobFromBytes` would: `unreadable` says where, and no set is returned.
 */
export async function parseGoldenStream(
  path: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<ParsedGolden | { unreadable: Extract<FileBlob, { kind: "binary" }> }> {
  const diagnostics: Diagnostic[] = [];
  const collector = collectGolden(path, diagnostics, { packable: true });
  const add = (c: GoldenCase) => collector.add(c);
  const csv = goldenFormatOf(path) === "csv" ? csvLines(path, add, diagnostics) : undefined;
  let line = 0;
  let size = 0;
  /** Lines ended by `\n` so far (where bytes that are not UTF-8 are reported, as for a whole file). */
  let newlines = 0;
  let unreadableAt: { line: number; column: number } | "nul" | undefined;
  /** Bytes of the line not yet ended, from earlier chunks. */
  let carry: Buffer[] = [];
  const onLine = (bytes: Buffer) => {
    if (unreadableAt) return;
    if (line === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes.includes(0)) {
      unreadableAt = "nul";
      return;
    }
    if (!isUtf8(bytes)) {
      unreadableAt = { line: newlines + 1, column: firstInvalidUtf8(bytes)?.column ?? 1 };
      return;
    }
    // `\r\n` ends the line; a lone `\r` ends one too.
    let text = bytes.toString("utf8");
    if (text.endsWith("\r")) text = text.slice(0, -1);
    for (const piece of text.includes("\r") ? text.split("\r") : [text]) {
      line++;
      if (csv) csv.line(piece);
      else jsonLine(path, piece, line, add, diagnostics);
    }
  };
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += bytes.length;
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
      const piece = bytes.subarray(start, end);
      onLine(carry.length > 0 ? Buffer.concat([...carry, piece]) : piece);
      newlines++;
      carry = [];
      start = end + 1;
    }
    // Copied: the rest of this chunk must not keep the whole chunk alive.
    if (start < bytes.length) carry.push(Buffer.from(bytes.subarray(start)));
    if (unreadableAt) break;
  }
  if (!unreadableAt && carry.length > 0) onLine(Buffer.concat(carry));
  if (!unreadableAt) csv?.end();
  if (unreadableAt) return { unreadable: { kind: "binary", size, ...(unreadableAt === "nul" ? {} : { invalidUtf8: unreadableAt }) } };
  return { set: collector.finish(), diagnostics };
}

/** One line of a JSON Lines golden set: its row added, or the problem reported at its line. */
function jsonLine(file: string, raw: string, line: number, add: (c: GoldenCase) => void, diagnostics: Diagnostic[]): void {
  if (raw.trim() === "") return;
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
    return;
  }
  const c = caseFromRow(row, { file, line }, diagnostics);
  if (c) add(c);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function fromJson(file: string, text: string, add: (c: GoldenCase) => void, diagnostics: Diagnostic[]): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const { line, column } = lineCol(text, jsonErrorOffset(e as Error, text));
    diagnostics.push(problem(file, line, column, `invalid JSON: ${jsonErrorText(e as Error)}`));
    return;
  }
  // JSON is YAML, so the YAML parser gives each row's line; values still come from JSON.parse.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const itemNodes = doc.errors.length === 0 ? rowNodes(doc.contents) : undefined;
  const rows = rowsOf(value);
  if (!rows) {
    diagnostics.push(problem(file, 1, 1, "a JSON golden set must be an array of rows or an object with a \"cases\" array"));
    return;
  }
  collect(file, rows, (i) => lineOfNode(itemNodes?.[i], lineCounter), add, diagnostics);
}

function fromYaml(file: string, text: string, add: (c: GoldenCase) => void, diagnostics: Diagnostic[]): void {
  const lineCounter = new LineCounter();
  // merge: `<<: *defaults` rows are common in YAML test sets (js-yaml, yaml.v3 and PyYAML apply them).
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) {
    for (const { error: e, message } of yamlErrorMessages(doc.errors)) {
      const pos = lineCounter.linePos(e.pos[0]);
      diagnostics.push(problem(file, pos.line, pos.col, message));
    }
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    diagnostics.push(problem(file, 1, 1, `cannot read YAML: ${yamlErrorMessage((e as Error).message)}`));
    return;
  }
  if (value === null || value === undefined) return;
  const rows = rowsOf(value);
  if (!rows) {
    diagnostics.push(problem(file, 1, 1, "a YAML golden set must be a list of rows or a mapping with a \"cases\" list"));
    return;
  }
  const nodes = rowNodes(doc.contents);
  collect(file, rows, (i) => lineOfNode(nodes?.[i], lineCounter), add, diagnostics);
}

/**
 * CSV through csv-parse, one pass per stretch between errors: a parse stops at the first broken
 * record, so the rows before it are kept (collected as they are parsed), the error is reported
 * where the record starts (an unclosed quote at the quote that opened it, not at the end of the
 * file), and parsing resumes on the next line to find every other error and row.
 */
function fromCsv(file: string, text: string, add: (c: GoldenCase) => void, diagnostics: Diagnostic[]): void {
  csvText(file, text, add, diagnostics, { firstLine: 1 });
}

/** Where a CSV file's reading is: its header once read, and the file line a piece of text starts on. */
interface CsvState {
  columns?: string[];
  /** 1-based line of the file where the text given next starts. */
  firstLine: number;
  /** A broken header row stops the reading, as it does for the whole file. */
  stopped?: boolean;
}

/**
 * Parses CSV text that starts on `state.firstLine` of its file (the whole file, or a stretch of it
 * that starts where a record starts). Returns false when a quoted value was still open at the
 * end of the text: read whole, the file might close it further on, so the stretch was cut in the
 * wrong place (the streaming reader then reads on and tries again with a longer stretch).
 */
function csvText(file: string, text: string, add: (c: GoldenCase) => void, diagnostics: Diagnostic[], state: CsvState): boolean {
  if (state.stopped) return true;
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  // File lines before this text.
  const before = state.firstLine - 1;
  let closed = true;
  // 1-based line of the text where the current pass starts.
  let from = 1;
  while (from <= lineStarts.length) {
    const chunk = text.slice(lineStarts[from - 1]!);
    const offset = from - 1;
    const header = state.columns === undefined;
    let lastEnd = 0;
    try {
      parseCsv(chunk, {
        columns:
          state.columns ??
          ((row: string[]) => {
            const seen = new Set<string>();
            for (const h of row) {
              if (seen.has(h)) diagnostics.push(problem(file, before + from, 1, `duplicate column "${h}" in the header row`));
              seen.add(h);
            }
            state.columns = row.map((h) => h.trim());
            return state.columns;
          }),
        info: true,
        raw: true,
        skip_empty_lines: true,
        bom: before === 0 && from === 1,
        on_record: ({ record, raw, info }: { record: Record<string, string>; raw: string; info: { lines: number } }) => {
          lastEnd = info.lines;
          // csv-parse reports the line a record ends on; quoted values can span lines.
          const spanned = raw.replace(/^\n+/, "").replace(/\n$/, "").split("\n").length - 1;
          const c = csvCase(file, record, before + offset + info.lines - spanned, diagnostics);
          if (c) add(c);
          return null;
        },
      } as unknown as CsvOptions);
      break;
    } catch (e) {
      const err = e as Error & { code?: string; lines?: number };
      if (state.columns === undefined) {
        diagnostics.push(problem(file, before + offset + (err.lines ?? 1), 1, csvMessage(err.message)));
        state.stopped = true;
        break;
      }
      // The broken record starts on the first non-empty line after the last good one (or the header).
      const headerLines = header ? 1 : 0;
      let recordStart = Math.max(lastEnd, headerLines) + 1;
      while (recordStart < lineStarts.length && lineText(text, lineStarts, offset + recordStart).trim() === "") recordStart++;
      const line = offset + recordStart;
      if (err.code === "CSV_QUOTE_NOT_CLOSED") {
        closed = false;
        const column = openingQuoteColumn(lineText(text, lineStarts, line));
        diagnostics.push(problem(file, before + line, column, `invalid CSV: a quoted value opened here is never closed (add the closing ")`));
        from = line + 1;
      } else {
        const at = err.lines !== undefined ? offset + err.lines : line;
        diagnostics.push(problem(file, before + at, 1, csvMessage(err.message)));
        from = Math.max(at, line) + 1;
      }
    }
  }
  return closed;
}

/** Characters of CSV lines gathered before a stretch is parsed (more when a cut fell inside a quoted value). */
const CSV_STRETCH_CHARS = 64 * 1024;

/**
 * A CSV file read a line at a time: lines are gathered into stretches that end where a record
 * ends (an even number of quotes so far) and each stretch is parsed as the whole file would parse
 * it, so memory holds one stretch however long the file.
 */
function csvLines(file: string, add: (c: GoldenCase) => void, diagnostics: Diagnostic[]): { line(text: string): void; end(): void } {
  const state: CsvState = { firstLine: 1 };
  let lines: string[] = [];
  let chars = 0;
  let quotes = 0;
  let enough = CSV_STRETCH_CHARS;
  const parse = (last: boolean) => {
    const cases: GoldenCase[] = [];
    const found: Diagnostic[] = [];
    const { columns, stopped } = state;
    if (!csvText(file, `${lines.join("\n")}\n`, (c) => cases.push(c), found, state) && !last) {
      // A quoted value open at the cut may close further on: read on and parse a longer stretch.
      state.columns = columns;
      state.stopped = stopped;
      enough = chars * 2;
      return;
    }
    for (const c of cases) add(c);
    diagnostics.push(...found);
    state.firstLine += lines.length;
    lines = [];
    chars = 0;
    quotes = 0;
    enough = CSV_STRETCH_CHARS;
  };
  return {
    line(text) {
      lines.push(text);
      chars += text.length + 1;
      for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) quotes++;
      // An even quote count is only a hint (a stray `27" monitor` makes it odd for good): past
      // twice the size the stretch is tried anyway, and a cut inside a quoted value is read past.
      if ((chars >= enough && quotes % 2 === 0) || chars >= 2 * enough) parse(false);
    },
    end() {
      if (lines.length > 0) parse(true);
    },
  };
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

function collect(file: string, rows: unknown[], lineOf: (index: number) => number, add: (c: GoldenCase) => void, diagnostics: Diagnostic[]): void {
  rows.forEach((row, i) => {
    const c = caseFromRow(row, { file, line: lineOf(i) }, diagnostics);
    if (c) add(c);
  });
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
