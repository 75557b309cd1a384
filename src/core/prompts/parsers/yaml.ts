// YAML with positions: parses a document (a whole `.prompt.yml` or a front matter) once and
// answers "which file line is this field on", offset by where the YAML sits in the file.

import { yamlErrorMessage, yamlErrorMessages } from "../../yaml-errors.js";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import type { ParseContext } from "./context.js";

export type YamlPath = readonly (string | number)[];

/** Aliases are legitimate in YAML; thousands of them are a "billion laughs" attack. */
export const MAX_ALIAS_COUNT = 100;

export class YamlSource {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    /** File line of the YAML's first line, minus one. */
    private readonly lineOffset: number,
    /** The document as plain data (aliases resolved). */
    readonly value: unknown,
  ) {}

  /** The node at `path`, or undefined when the path does not exist (or goes through an alias). */
  node(path: YamlPath): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        node = pair?.value ?? undefined;
      } else if (isSeq(node) && typeof key === "number") {
        node = node.items[key];
      } else {
        return undefined;
      }
      if (node === undefined || node === null) return undefined;
    }
    return isAlias(node) || !(isMap(node) || isSeq(node) || isScalar(node)) ? undefined : (node as Node);
  }

  private pair(path: YamlPath): Pair | undefined {
    if (path.length === 0) return undefined;
    const parent = this.node(path.slice(0, -1));
    const key = path[path.length - 1];
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
    return isPair(pair) ? pair : undefined;
  }

  /** File position of a byte offset in the YAML text. */
  at(offset: number): { line: number; column: number } {
    const pos = this.lineCounter.linePos(offset);
    return { line: pos.line + this.lineOffset, column: pos.col };
  }

  /**
   * File position of a field: its key when it is a map entry (so a block value points at its
   * `key:` line), else the node itself; the nearest existing ancestor when the path is missing.
   */
  pos(path: YamlPath): { line: number; column: number } {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const pair = this.pair(sub);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return this.at(keyNode.range[0]);
      const node = this.node(sub);
      if (node?.range) return this.at(node.range[0]);
    }
    return { line: 1 + this.lineOffset, column: 1 };
  }

  line(path: YamlPath): number {
    return this.pos(path).line;
  }

  isCollection(path: YamlPath): boolean {
    const node = this.node(path);
    return isMap(node) || isSeq(node);
  }

  /** Position of the value itself (not its key). */
  valuePos(path: YamlPath): { line: number; column: number } {
    const node = this.node(path);
    return node?.range ? this.at(node.range[0]) : this.pos(path);
  }

  /** Line where a scalar's text starts: a block scalar (`|`, `>`) starts on the line after its header. */
  textLine(path: YamlPath): number {
    const node = this.node(path);
    if (isScalar(node) && node.range) {
      const { line } = this.at(node.range[0]);
      return node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED" ? line + 1 : line;
    }
    return this.line(path);
  }

  /** The scalar as written (`1.10` stays `1.10`, not the number 1.1). */
  sourceText(path: YamlPath): string | undefined {
    const node = this.node(path);
    return isScalar(node) && typeof node.source === "string" ? node.source : undefined;
  }
}

/**
 * Parses YAML found at file line `firstLine`. Syntax errors and alias bombs become diagnostics
 * and no source is returned.
 */
export function parseYaml(text: string, firstLine: number, ctx: ParseContext): YamlSource | undefined {
  const lineCounter = new LineCounter();
  const offset = firstLine - 1;
  let doc: Document;
  try {
    // logLevel "error": the core must not print yaml's console warnings; problems become diagnostics.
    // merge: gh-models reads .prompt.yml with yaml.v3, which applies `<<: *anchor` merge keys.
    doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, logLevel: "error", merge: true });
  } catch (err) {
    ctx.error(firstLine, 1, `YAML could not be parsed: ${(err as Error).message}`, "yaml-syntax");
    return undefined;
  }
  if (doc.errors.length > 0) {
    // Errors found at the end of input (an unclosed quote or bracket) point past the last line.
    const lastLine = Math.max(1, text.trimEnd().split("\n").length);
    for (const { error: e, message } of yamlErrorMessages(doc.errors)) {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      const line = Math.min(pos.line, lastLine);
      ctx.error(line + offset, line === pos.line ? pos.col : 1, `YAML syntax error: ${message}`, "yaml-syntax");
    }
    return undefined;
  }
  for (const w of doc.warnings) {
    const pos = w.linePos?.[0] ?? { line: 1, col: 1 };
    ctx.warning(pos.line + offset, pos.col, `YAML: ${yamlErrorMessage(w.message)}`, "yaml-syntax");
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const pos = firstAliasPos(doc, lineCounter) ?? { line: 1, col: 1 };
    const reason =
      err instanceof ReferenceError && /alias/i.test(err.message)
        ? `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}); refusing a possible "billion laughs" document`
        : `YAML could not be read: ${(err as Error).message}`;
    ctx.error(pos.line + offset, pos.col, reason, "yaml-aliases");
    return undefined;
  }
  return new YamlSource(doc, lineCounter, offset, value);
}

function firstAliasPos(doc: Document, lineCounter: LineCounter): { line: number; col: number } | undefined {
  let found: number | undefined;
  const walk = (node: unknown): void => {
    if (found !== undefined) return;
    if (isAlias(node)) {
      found = node.range?.[0];
    } else if (isMap(node)) {
      for (const p of node.items) {
        walk(p.key);
        walk(p.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  return found === undefined ? undefined : lineCounter.linePos(found);
}
