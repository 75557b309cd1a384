// Turns one golden row, in either accepted shape, into a GoldenCase: GitHub's flat
// `{var1, var2, expected}` or the structured `{id?, vars: {...}, expected?, assert?: [...]}`.

import { createHash } from "node:crypto";
import type { Diagnostic } from "../diagnostics.js";
import { canonicalJson } from "../eval/request-key.js";
import type { GoldenCase } from "./model.js";

export type RowSource = { file: string; line: number; column?: number };

/** A short id that does not change when the row's keys are reordered. */
export function caseIdFor(vars: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(vars)).digest("hex").slice(0, 10);
}

/**
 * Deepest nesting of lists and mappings a row may have. Real test data is a few levels deep;
 * a row nested thousands deep (a hostile or generated file) would otherwise exhaust the stack
 * of every recursive step after parsing (hashing, rendering, scoring) and take the run down.
 */
export const MAX_ROW_DEPTH = 64;

/** Whether `value` nests lists and mappings deeper than `limit`; iterative, and stops early. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Normalizes a row; pushes a diagnostic and returns undefined when the row cannot be used. */
export function caseFromRow(row: unknown, source: RowSource, diagnostics: Diagnostic[]): GoldenCase | undefined {
  const problem = (message: string, severity: "error" | "warning" = "error") =>
    diagnostics.push({ file: source.file, line: source.line, column: source.column ?? 1, severity, message, rule: "golden-row" });

  if (!isPlainObject(row)) {
    problem(`a golden row must be a mapping of variables, not ${Array.isArray(row) ? "a list" : typeof row === "object" ? "null" : `a ${typeof row}`}`);
    return undefined;
  }
  if (nestedDeeperThan(row, MAX_ROW_DEPTH)) {
    problem(`the row nests lists or mappings more than ${MAX_ROW_DEPTH} levels deep; it was skipped`);
    return undefined;
  }

  const structured = isPlainObject(row.vars);
  let vars: Record<string, unknown>;
  if (structured) {
    vars = { ...(row.vars as Record<string, unknown>) };
  } else {
    if ("vars" in row && row.vars !== undefined) problem(`"vars" must be a mapping of variable names to values`);
    // In GitHub's flat shape every other key is a variable; `id` stays a variable too, since a
    // template may use `{{id}}`.
    vars = {};
    for (const [k, v] of Object.entries(row)) if (k !== "expected" && k !== "assert" && k !== "vars") vars[k] = v;
  }

  let id: string | undefined;
  if (row.id !== undefined && row.id !== null) {
    if (typeof row.id === "string" || typeof row.id === "number") id = String(row.id);
    else problem(`"id" must be a string or a number; using a hash of the variables instead`, "warning");
  }

  let assert: Record<string, unknown>[] | undefined;
  if (row.assert !== undefined && row.assert !== null) {
    const list = Array.isArray(row.assert) ? row.assert : [row.assert];
    if (list.every(isPlainObject)) assert = list as Record<string, unknown>[];
    else problem(`"assert" must be a list of assertions like {type: contains, value: ...}`);
  }

  const golden: GoldenCase = { id: id ?? caseIdFor(vars), vars, source: { file: source.file, line: source.line } };
  const expected = expectedText(row.expected);
  if (expected !== undefined) golden.expected = expected;
  if (assert) golden.assert = assert;
  return golden;
}

/** Expected outputs are compared as text; structured ones (JSON answers) are serialized. */
function expectedText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
